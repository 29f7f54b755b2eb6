using System.Text.Json.Nodes;
using Vigil.Core.Replay.Diff;

namespace Vigil.Core.Replay;

/// <summary>
/// One span's before/after, stored with the run (ReplayRun.Diffs, snake_case JSON). input_diff lists JSON path changes of
/// the request; output_diff is the word diff of the message content; output_json_diff the JSON changes of the rest of the output.
/// </summary>
public sealed record SpanDiff
{
    public required string SpanId { get; init; }
    public string? NewSpanId { get; init; }
    public required string SpanName { get; init; }
    public required string Kind { get; init; }
    public string? ParentSpanId { get; init; }
    /// <summary>ok | error | copied | skipped.</summary>
    public required string Status { get; init; }
    public bool WasExecuted { get; init; }
    public string? Note { get; init; }
    public string? Error { get; init; }
    public string? Provider { get; init; }
    public string? OriginalModel { get; init; }
    public string? NewModel { get; init; }
    public JsonNode? OriginalInput { get; init; }
    public JsonNode? MutatedInput { get; init; }
    public JsonNode? OriginalOutput { get; init; }
    public JsonNode? NewOutput { get; init; }
    public List<JsonChange> InputDiff { get; init; } = [];
    public List<DiffSegment> OutputDiff { get; init; } = [];
    public List<JsonChange> OutputJsonDiff { get; init; } = [];
    public long? OriginalTokens { get; init; }
    public long? NewTokens { get; init; }
    public long? TokensDelta { get; init; }
    public double? OriginalCostUsd { get; init; }
    public double? NewCostUsd { get; init; }
    public double? CostDeltaUsd { get; init; }
    public double? OriginalLatencyMs { get; init; }
    public double? NewLatencyMs { get; init; }
    public double? LatencyDeltaMs { get; init; }

    public bool Changed => InputDiff.Count > 0 || OutputDiff.Any(s => s.Op != DiffSegment.Equal) || OutputJsonDiff.Count > 0 || Error is not null;

    public static class Statuses
    {
        public const string Ok = "ok";
        public const string Error = "error";
        public const string Copied = "copied";
        public const string Skipped = "skipped";
    }
}
