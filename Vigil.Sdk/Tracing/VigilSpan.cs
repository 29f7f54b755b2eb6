using System.Globalization;

namespace Vigil.Sdk.Tracing;

/// <summary>
/// One unit of work in a trace. Dispose (or <see cref="End"/>) it to finish it: it is then queued for export,
/// and further changes are ignored. Methods never throw into the caller.
/// </summary>
public sealed class VigilSpan : IDisposable
{
    private readonly VigilSpan? _previous;   // ambient span when this one started; restored on end
    private int _ended;
    // Bytes rather than the int-sized enums: with the id string cache moved to Extras the span fits in 120 bytes, not 136.
    private readonly byte _kind;
    private byte _status;
    private bool _exceptionRecorded;

    // Read by the exporter after the span ended (the span is then immutable).
    internal readonly ulong SpanIdValue;
    internal readonly ulong ParentIdValue;
    internal readonly long StartTicks;
    internal long EndTicks;
    internal object? InputValue;
    internal object? OutputValue;
    internal Dictionary<string, object?>? MetadataValues;
    internal List<SpanEvent>? EventList;
    // Rarely used fields live in a side object so a plain span stays small.
    internal SpanExtras? Extras;

    internal sealed class SpanExtras
    {
        public string? Model;
        public string? Provider;
        public long? InputTokens;
        public long? OutputTokens;
        public double? CostUsd;
        public string? StatusMessage;
        public string? SpanIdText;   // SpanId formatted once, when a caller asks for it
        public string? SessionId;    // sent as the span's session_id/user_id: the server puts them on the trace
        public string? UserId;
        public List<SpanScore>? Scores;
    }

    /// <summary>The server's limit for a session or user id; a longer one is dropped (cut, it could merge two sessions).</summary>
    internal const int MaxIdLength = 256;

    // current: the ambient span the caller already read (saves a second AsyncLocal lookup); used when makeCurrent.
    internal VigilSpan(VigilClient client, VigilTrace? trace, VigilSpan? parent, string name, SpanKind kind, object? input,
        IReadOnlyDictionary<string, object?>? metadata, bool makeCurrent, VigilSpan? current = null)
    {
        Name = name;
        _kind = (byte)kind;
        InputValue = input;
        SpanIdValue = Ids.NewSpanId();
        ParentIdValue = parent?.SpanIdValue ?? 0;
        Trace = trace ?? parent?.Trace ?? new VigilTrace(client, null);
        if (Trace.Root is null)
        {
            Trace.Root = this;
            // A new trace joins the ambient session (VigilContext.Session), if any.
            if (VigilContext.CurrentSession is { } session) SetSession(session.SessionId, session.UserId);
        }
        StartTicks = DateTime.UtcNow.Ticks;
        if (metadata is { Count: > 0 })
        {
            MetadataValues = new Dictionary<string, object?>(metadata);
        }
        if (makeCurrent)
        {
            _previous = current;
            VigilContext.Set(this);
        }
    }

    /// <summary>The trace this span belongs to.</summary>
    public VigilTrace Trace { get; }

    /// <summary>16 hex characters, unique within the trace.</summary>
    public string SpanId => ExtrasOrNew().SpanIdText ??= Ids.Format(SpanIdValue);

    /// <summary>The parent's span id, or null for a root span.</summary>
    public string? ParentSpanId => ParentIdValue == 0 ? null : Ids.Format(ParentIdValue);

    public string TraceId => Trace.TraceId;
    public string Name { get; }
    public SpanKind Kind => (SpanKind)_kind;
    public SpanStatus Status { get => (SpanStatus)_status; private set => _status = (byte)value; }
    public string? StatusMessage => Extras?.StatusMessage;
    public bool IsEnded => Volatile.Read(ref _ended) != 0;
    public DateTimeOffset StartTime => new(StartTicks, TimeSpan.Zero);

    public VigilSpan SetInput(object? input)
    {
        if (!IsEnded) InputValue = input;
        return this;
    }

    public VigilSpan SetOutput(object? output)
    {
        if (!IsEnded) OutputValue = output;
        return this;
    }

    public VigilSpan SetMetadata(string key, object? value)
    {
        if (IsEnded || key is null) return this;
        lock (this)
        {
            (MetadataValues ??= new Dictionary<string, object?>())[key] = value;
        }
        return this;
    }

    public VigilSpan AddEvent(string name, IReadOnlyDictionary<string, object?>? attributes = null)
    {
        if (IsEnded || name is null) return this;
        var evt = new SpanEvent(name, DateTimeOffset.UtcNow, attributes);
        lock (this)
        {
            (EventList ??= new List<SpanEvent>(2)).Add(evt);
        }
        return this;
    }

    public VigilSpan SetStatus(SpanStatus status, string? message = null)
    {
        if (IsEnded) return this;
        Status = status;
        if (message is not null || Extras is not null) ExtrasOrNew().StatusMessage = message;
        return this;
    }

    /// <summary>
    /// Names the conversation (<paramref name="sessionId"/>) and the end user this span's trace belongs to; a null leaves
    /// that one unchanged. The server keeps them on the trace. Ids over 256 characters are ignored.
    /// </summary>
    public VigilSpan SetSession(string? sessionId, string? userId = null)
    {
        if (IsEnded) return this;
        if (Usable(sessionId)) ExtrasOrNew().SessionId = sessionId;
        if (Usable(userId)) ExtrasOrNew().UserId = userId;
        return this;
    }

    public string? SessionId => Extras?.SessionId;
    public string? UserId => Extras?.UserId;

    private static bool Usable(string? id) => id is { Length: > 0 and <= MaxIdLength };

    /// <summary>
    /// Records a judgement of this span, sent with it (source <c>sdk</c>): <paramref name="value"/> is a number, a bool or a
    /// category string; anything else is ignored. For feedback that arrives after the span ended use
    /// <see cref="VigilClient.ScoreAsync"/>.
    /// </summary>
    public VigilSpan Score(string name, object value, string? comment = null)
    {
        if (IsEnded || string.IsNullOrWhiteSpace(name) || SpanScore.Normalize(value) is not { } normalized) return this;
        var extras = ExtrasOrNew();
        lock (this)
        {
            (extras.Scores ??= new List<SpanScore>(1)).Add(new SpanScore(name, normalized, comment));
        }
        return this;
    }

    /// <summary>Records the exception as an event and marks the span as failed.</summary>
    public VigilSpan RecordException(Exception exception)
    {
        if (IsEnded || exception is null) return this;
        _exceptionRecorded = true;
        AddEvent("exception", new Dictionary<string, object?>
        {
            ["exception.type"] = exception.GetType().FullName,
            ["exception.message"] = exception.Message,
            ["exception.stacktrace"] = exception.StackTrace,
        });
        Status = SpanStatus.Error;
        ExtrasOrNew().StatusMessage ??= exception.Message;
        return this;
    }

    /// <summary>Typed LLM fields sent next to input/output (the server reads them into columns).</summary>
    public VigilSpan SetModel(string? model, string? provider = null)
    {
        if (IsEnded) return this;
        var extras = ExtrasOrNew();
        if (model is not null) extras.Model = model;
        if (provider is not null) extras.Provider = provider;
        return this;
    }

    public VigilSpan SetUsage(long? inputTokens, long? outputTokens, double? costUsd = null)
    {
        if (IsEnded) return this;
        var extras = ExtrasOrNew();
        extras.InputTokens = inputTokens ?? extras.InputTokens;
        extras.OutputTokens = outputTokens ?? extras.OutputTokens;
        extras.CostUsd = costUsd ?? extras.CostUsd;
        return this;
    }

    /// <summary>Ends the span (once): status becomes ok unless set or an exception was recorded.</summary>
    public void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0) return;
        EndTicks = DateTime.UtcNow.Ticks;
        if (Status == SpanStatus.Unset)
        {
            Status = _exceptionRecorded ? SpanStatus.Error : SpanStatus.Ok;
        }
        // Only restore when this span is still the ambient one on this flow; a span ended from
        // another flow (e.g. a stream finished later) must not clobber that flow's context.
        if (ReferenceEquals(VigilContext.CurrentSpan, this))
        {
            VigilContext.Set(_previous);
        }
        Trace.Client.Enqueue(this);
    }

    // Atomic: SpanId may be read on one thread while another sets the model; neither may lose the other's object.
    private SpanExtras ExtrasOrNew() => Extras ?? Interlocked.CompareExchange(ref Extras, new SpanExtras(), null) ?? Extras;

    public void Dispose() => End();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind} {Name} {TraceId}/{SpanId}");
}
