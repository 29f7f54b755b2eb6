using Vigil.Core.Live;

namespace Vigil.Core.Replay;

/// <summary>A replay run changed status or finished a span (wire name <c>replay_status</c>).</summary>
public sealed record ReplayStatusEvent(
    string ProjectId,
    string ReplayRunId,
    string OriginalTraceId,
    string Status,
    int CompletedSpans,
    int LlmSpansCount,
    string? ResultTraceId,
    string? SpanId,
    string? ErrorMessage) : LiveEvent(ProjectId)
{
    public override string Type => "replay_status";
}
