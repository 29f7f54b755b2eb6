using Vigil.Core.Ingest;
using Vigil.Core.Traces;

namespace Vigil.Core.Replay;

/// <summary>
/// The result trace's spans: copies of the recorded ones under new ids, shifted in time so the replay's waterfall keeps
/// the original's shape starting now.
/// </summary>
public static class ResultSpans
{
    public static string? CopyNote(SpanRecord span) =>
        span.Kind == SpanKind.Llm && LlmRequestBuilder.ReadRecorded(span, out var why) is null ? $"Not re-run: this span {why}; the recorded span was copied." : null;

    public static SpanInput Copy(SpanRecord s, string traceId, IReadOnlyDictionary<string, string> ids, long offsetUs) => new()
    {
        SpanId = ids[s.SpanId],
        TraceId = traceId,
        ParentSpanId = s.ParentSpanId is not null && ids.TryGetValue(s.ParentSpanId, out var p) ? p : null,
        Name = s.Name,
        Kind = s.Kind,
        Status = s.Status,
        Input = s.Input,
        Output = s.Output,
        Metadata = s.Metadata,
        Events = s.Events,
        StartTime = DateTimeOffset.UnixEpoch.AddTicks((s.StartTimeUs + offsetUs) * 10),
        EndTime = s.EndTimeUs is { } e ? DateTimeOffset.UnixEpoch.AddTicks((e + offsetUs) * 10) : null,
        Model = s.Model,
        Provider = s.Provider,
        InputTokens = s.InputTokens,
        OutputTokens = s.OutputTokens,
        CostUsd = s.CostUsd,
    };

    public static void CopyRecorded(SpanRecord s, SpanInput target)
    {
        target.Input = s.Input;
        target.Output = s.Output;
        target.Model = s.Model;
        target.Provider = s.Provider;
        target.InputTokens = s.InputTokens;
        target.OutputTokens = s.OutputTokens;
        target.CostUsd = s.CostUsd;
    }
}
