namespace Vigil.Core.Sessions;

/// <summary>What a trace adds to its session and user: read when the writer locks the trace, and again after its rollup.</summary>
internal readonly record struct TraceState(
    string? SessionId, string? UserId, int ErrorCount, long InputTokens, long OutputTokens, double CostUsd, long StartUs, long? EndUs)
{
    /// <summary>The trace's latest activity: its end, or its start while it runs.</summary>
    public long LastUs => EndUs is { } e && e > StartUs ? e : StartUs;

    public bool HasSessionOrUser => SessionId is not null || UserId is not null;
}
