using Vigil.Core.Live;

namespace Vigil.Core.Ingest;

/// <summary>One validated batch waiting for the writer, and the promise its caller awaits.</summary>
internal sealed class WriteJob(string projectId, List<PreparedSpan> spans, List<string> traceIds, List<IngestWriter.TraceHeader> headers, long nowUs)
{
    public string ProjectId { get; } = projectId;
    public List<PreparedSpan> Spans { get; } = spans;
    public List<string> TraceIds { get; } = traceIds;
    public List<IngestWriter.TraceHeader> Headers { get; } = headers;
    public long NowUs { get; } = nowUs;
    public TaskCompletionSource<(List<SpanSummary> Spans, List<TraceSummary> Traces)> Done { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}
