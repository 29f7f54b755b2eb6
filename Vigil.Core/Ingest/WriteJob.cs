using Vigil.Core.Live;

namespace Vigil.Core.Ingest;

/// <summary>One validated batch waiting for the writer, and the promise its caller awaits.</summary>
internal sealed class WriteJob(string projectId, List<PreparedSpan> spans, List<string> traceIds, List<TraceHeader> headers, long nowUs)
{
    public string ProjectId { get; } = projectId;
    public List<PreparedSpan> Spans { get; } = spans;
    public List<string> TraceIds { get; } = traceIds;
    public List<TraceHeader> Headers { get; } = headers;
    public long NowUs { get; } = nowUs;
    public TaskCompletionSource<WriteResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What the live feed needs of a written batch, read back from the rows as merged by the upserts.</summary>
internal readonly record struct WriteResult(List<SpanSummary> Spans, List<TraceSummary> Traces);
