using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Sdk.Export;
using Vigil.Sdk.Tracing;

namespace Vigil.Sdk;

/// <summary>
/// Entry point of the SDK: starts traces and spans and ships them to the Vigil server in the background.
/// In a host, register it with <c>services.AddVigil(...)</c>; in a console app, create it and <c>await using</c> it.
/// Tracing methods never block and never throw into the caller.
/// </summary>
public sealed partial class VigilClient : IAsyncDisposable
{
    private readonly SpanExporter? _exporter;
    private readonly IVigilTransport? _transport;
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>Creates a client and starts its background exporter. Throws if the options are invalid.</summary>
    public VigilClient(VigilOptions options, ILogger<VigilClient>? logger = null)
        : this(options, logger, autoStart: true)
    {
    }

    internal VigilClient(VigilOptions options, ILogger? logger, bool autoStart)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options.Clone();
        _logger = logger ?? NullLogger.Instance;
        if (Options.Enabled)
        {
            var transport = Options.Transport ?? new HttpTransport(Options);
            _transport = transport;
            _exporter = new SpanExporter(Options, transport, _logger);
            if (autoStart) _exporter.Start();
        }
    }

    /// <summary>A copy of the options the client runs with.</summary>
    public VigilOptions Options { get; }

    /// <summary>Exporter counters; all zero when disabled.</summary>
    public VigilStats Stats => _exporter?.Stats ?? default;

    public static VigilSpan? CurrentSpan => VigilContext.CurrentSpan;
    public static VigilTrace? CurrentTrace => VigilContext.CurrentTrace;

    /// <summary>
    /// Starts a new trace (with a root span of kind chain named like the trace) and makes it current. A session and end
    /// user given here win over the ambient <see cref="VigilContext.Session"/>.
    /// </summary>
    public VigilTrace StartTrace(string name, IReadOnlyDictionary<string, object?>? metadata = null, object? input = null, string? traceId = null,
        string? sessionId = null, string? userId = null)
    {
        if (traceId is { Length: > 128 })
        {
            // The server rejects the whole batch for an over-long id; a fresh id keeps the spans.
            LogTraceIdTooLong(traceId.Length);
            traceId = null;
        }
        var trace = new VigilTrace(this, traceId);
        var root = new VigilSpan(this, trace, parent: null, name ?? "trace", SpanKind.Chain, input, metadata, makeCurrent: true, VigilContext.CurrentSpan);
        if (sessionId is not null || userId is not null) root.SetSession(sessionId, userId);
        return trace;
    }

    /// <summary>Starts a span under the current span (or as the root of a new trace) and makes it current until it ends.</summary>
    public VigilSpan StartSpan(string name, SpanKind kind = SpanKind.Custom, object? input = null, IReadOnlyDictionary<string, object?>? metadata = null)
    {
        var parent = VigilContext.CurrentSpan;
        return StartSpanCore(name, kind, input, metadata, parent?.Trace, parent, current: parent);
    }

    internal VigilSpan StartSpanCore(string name, SpanKind kind, object? input, IReadOnlyDictionary<string, object?>? metadata,
        VigilTrace? trace, VigilSpan? parent, VigilSpan? current)
        => new(this, trace, parent, name ?? "span", kind, input, metadata, makeCurrent: true, current);

    /// <summary>A child of the current span that does not become current (its work finishes on another flow, e.g. a stream).</summary>
    internal VigilSpan StartDetachedSpan(string name, SpanKind kind, object? input)
        => new(this, VigilContext.CurrentTrace, VigilContext.CurrentSpan, name, kind, input, null, makeCurrent: false);

    /// <summary>Runs <paramref name="body"/> inside a new trace; records and rethrows its exception.</summary>
    public async Task<T> TraceAsync<T>(string name, Func<Task<T>> body, IReadOnlyDictionary<string, object?>? metadata = null)
    {
        using var trace = StartTrace(name, metadata);
        try
        {
            var result = await body().ConfigureAwait(false);
            trace.SetOutput(result);
            return result;
        }
        catch (Exception e)
        {
            trace.RecordException(e);
            throw;
        }
    }

    public async Task TraceAsync(string name, Func<Task> body, IReadOnlyDictionary<string, object?>? metadata = null)
    {
        using var trace = StartTrace(name, metadata);
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            trace.RecordException(e);
            throw;
        }
    }

    /// <summary>Runs <paramref name="body"/> inside a new span; records its result as output, records and rethrows its exception.</summary>
    public async Task<T> SpanAsync<T>(string name, Func<Task<T>> body, SpanKind kind = SpanKind.Custom, object? input = null)
    {
        using var span = StartSpan(name, kind, input);
        try
        {
            var result = await body().ConfigureAwait(false);
            span.SetOutput(result);
            return result;
        }
        catch (Exception e)
        {
            span.RecordException(e);
            throw;
        }
    }

    public async Task SpanAsync(string name, Func<Task> body, SpanKind kind = SpanKind.Custom, object? input = null)
    {
        using var span = StartSpan(name, kind, input);
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            span.RecordException(e);
            throw;
        }
    }

    /// <summary>Adds an event to the current span.</summary>
    public void LogEvent(string name, IReadOnlyDictionary<string, object?>? attributes = null) => VigilContext.LogEvent(name, attributes);

    /// <summary>Attaches metadata to the current span.</summary>
    public void AttachMetadata(string key, object? value) => VigilContext.AttachMetadata(key, value);

    /// <summary>Records an LLM call that already happened as a finished llm span under the current span.</summary>
    public VigilSpan LogLlmCall(string model, object? input, object? output, long? inputTokens = null, long? outputTokens = null,
        string? provider = null, string name = "llm", IReadOnlyDictionary<string, object?>? metadata = null, Exception? error = null)
    {
        var span = new VigilSpan(this, VigilContext.CurrentTrace, VigilContext.CurrentSpan, name, SpanKind.Llm, input, metadata, makeCurrent: false);
        span.SetOutput(output).SetModel(model, provider).SetUsage(inputTokens, outputTokens);
        if (error is not null) span.RecordException(error);
        span.End();
        return span;
    }

    /// <summary>Records a tool call that already happened as a finished tool span under the current span.</summary>
    public VigilSpan LogToolCall(string toolName, object? arguments, object? result, IReadOnlyDictionary<string, object?>? metadata = null, Exception? error = null)
    {
        var span = new VigilSpan(this, VigilContext.CurrentTrace, VigilContext.CurrentSpan, toolName, SpanKind.Tool, arguments, metadata, makeCurrent: false);
        span.SetOutput(result);
        if (error is not null) span.RecordException(error);
        span.End();
        return span;
    }

    /// <summary>
    /// Records a judgement of a trace (or one of its spans) that arrives after it ended, e.g. a user's thumbs-up: POSTs
    /// it to <c>/v1/scores</c> at once with source <c>sdk</c> (the trace need not have arrived yet). <paramref name="value"/>
    /// is a number, a bool or a category string. True when the server stored it; never throws for a failed request.
    /// </summary>
    public async Task<bool> ScoreAsync(string traceId, string name, object value, string? comment = null, string? spanId = null,
        CancellationToken cancellationToken = default)
    {
        if (_transport is null || Volatile.Read(ref _disposed) != 0) return false;
        if (string.IsNullOrEmpty(traceId) || string.IsNullOrWhiteSpace(name) || SpanScore.Normalize(value) is not { } normalized)
        {
            LogScoreInvalid(name);
            return false;
        }
        var body = SpanSerializer.Score(traceId, spanId, name, normalized, comment);
        var result = await _transport.SendScoreAsync(body, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess) LogScoreFailed(name, result.StatusCode, result.Detail);
        return result.IsSuccess;
    }

    /// <summary>Sends everything queued so far and waits until the server answered (or the token fires).</summary>
    public Task ForceFlushAsync(CancellationToken cancellationToken = default)
        => _exporter?.ForceFlushAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Stops accepting spans and delivers what is queued within <paramref name="timeout"/>.</summary>
    public Task ShutdownAsync(TimeSpan? timeout = null)
        => _exporter?.ShutdownAsync(timeout ?? Options.ShutdownTimeout) ?? Task.CompletedTask;

    internal void Start() => _exporter?.Start();

    internal void Enqueue(VigilSpan span) => _exporter?.TryEnqueue(span);

    internal ILogger Logger => _logger;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_exporter is not null)
        {
            try
            {
                await _exporter.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogDisposeFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vigil trace id of {Length} characters is over the server's limit of 128; a random id is used instead")]
    private partial void LogTraceIdTooLong(int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vigil score {Name} not sent: it needs a trace id, a name and a number, bool or string value")]
    private partial void LogScoreInvalid(string? name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vigil score {Name} not stored: status {Status} {Detail}")]
    private partial void LogScoreFailed(string name, int status, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vigil client shutdown failed")]
    private partial void LogDisposeFailed(Exception e);
}
