namespace Vigil.Sdk.Tracing;

/// <summary>
/// A trace: a tree of spans sharing one trace id. <see cref="VigilClient.StartTrace"/> opens it with a root
/// span named like the trace; disposing the trace ends that root span (the server names the trace after it).
/// </summary>
public sealed class VigilTrace : IDisposable
{
    private readonly ulong _idHigh, _idLow;
    private string? _traceId;

    // traceId: a client-chosen id, or null for a random 32-hex-digit one (formatted only when first read).
    internal VigilTrace(VigilClient client, string? traceId)
    {
        Client = client;
        _traceId = string.IsNullOrEmpty(traceId) ? null : traceId;
        if (_traceId is null)
        {
            _idHigh = Ids.NewSpanId();
            _idLow = Ids.NewSpanId();
        }
    }

    internal VigilClient Client { get; }

    public string TraceId => _traceId ??= Ids.FormatTraceId(_idHigh, _idLow);

    /// <summary>Writes a random id without creating its string; false for a client-chosen id (use <see cref="TraceId"/>).</summary>
    internal bool TryFormatTraceId(Span<byte> utf8Destination)
    {
        if (_idHigh == 0 && _idLow == 0) return false;
        Ids.WriteHex(_idHigh, utf8Destination);
        Ids.WriteHex(_idLow, utf8Destination[16..]);
        return true;
    }
    /// <summary>The root span's name (no field of its own: the trace object stays at 56 bytes).</summary>
    public string Name => Root?.Name ?? "";

    /// <summary>The first span of the trace on this client (the trace's root).</summary>
    public VigilSpan? Root { get; internal set; }

    /// <summary>The conversation this trace is a turn of (on its root span), or null.</summary>
    public string? SessionId => Root?.SessionId;
    /// <summary>The end user this trace ran for (on its root span), or null.</summary>
    public string? UserId => Root?.UserId;

    /// <summary>Sets the session and/or end user (a null leaves that one unchanged).</summary>
    public VigilTrace SetSession(string? sessionId, string? userId = null) { Root?.SetSession(sessionId, userId); return this; }

    public VigilTrace SetInput(object? input) { Root?.SetInput(input); return this; }
    public VigilTrace SetOutput(object? output) { Root?.SetOutput(output); return this; }
    public VigilTrace SetMetadata(string key, object? value) { Root?.SetMetadata(key, value); return this; }
    public VigilTrace SetStatus(SpanStatus status, string? message = null) { Root?.SetStatus(status, message); return this; }
    public VigilTrace RecordException(Exception exception) { Root?.RecordException(exception); return this; }

    /// <summary>Starts a span in this trace under the current span (or under the root).</summary>
    public VigilSpan StartSpan(string name, SpanKind kind = SpanKind.Custom, object? input = null,
        IReadOnlyDictionary<string, object?>? metadata = null)
    {
        var current = VigilContext.CurrentSpan;
        var parent = current is not null && ReferenceEquals(current.Trace, this) ? current : Root;
        return Client.StartSpanCore(name, kind, input, metadata, this, parent, current);
    }

    public void End() => Root?.End();
    public void Dispose() => End();
}
