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

    // The fields only: the record itself would also carry Type, Remote and (itself as) Payload, a cycle to a serializer.
    public override object Payload => new
    {
        ProjectId, ReplayRunId, OriginalTraceId, Status, CompletedSpans, LlmSpansCount, ResultTraceId, SpanId, ErrorMessage,
    };
}
