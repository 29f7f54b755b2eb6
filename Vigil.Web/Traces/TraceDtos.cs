using Vigil.Core.Scores;
using Vigil.Core.Storage;
using Vigil.Core.Traces;
using Vigil.Web.Api;
using Vigil.Web.Scores;

namespace Vigil.Web.Traces;

/// <summary>A span as the API answers it (field names of the original Vigil server).</summary>
public sealed record SpanDto(
    string SpanId, string TraceId, string? ParentSpanId, string Name, string Kind, string Status,
    RawJson? Input, RawJson? Output, RawJson? Metadata, RawJson? Events,
    DateTime StartTime, DateTime? EndTime, double? DurationMs,
    string? Model, string? Provider, long? InputTokens, long? OutputTokens, double? CostUsd)
{
    public static SpanDto From(SpanRecord s) => new(
        s.SpanId, s.TraceId, s.ParentSpanId, s.Name, s.Kind, s.Status,
        RawJson.From(s.Input), RawJson.From(s.Output), RawJson.From(s.Metadata), RawJson.From(s.Events),
        UnixMicros.ToDateTime(s.StartTimeUs), UnixMicros.ToDateTime(s.EndTimeUs), s.DurationMs,
        s.Model, s.Provider, s.InputTokens, s.OutputTokens, s.CostUsd);
}

/// <summary>A trace with its rollups; <see cref="Spans"/> and <see cref="Scores"/> (its own and its spans') only in the detail.</summary>
public sealed record TraceDto(
    string TraceId, string ProjectId, string? Name, string Status, string? ExternalId, RawJson? Metadata,
    DateTime StartTime, DateTime? EndTime, DateTime CreatedAt,
    int SpanCount, int ErrorCount, long InputTokens, long OutputTokens, long TotalTokens, double CostUsd, double? DurationMs,
    IReadOnlyList<string> Models, string? ReplayOf, string? SessionId, string? UserId, IReadOnlyList<SpanDto>? Spans,
    IReadOnlyList<ScoreDto>? Scores = null)
{
    public static TraceDto From(TraceRecord t, IReadOnlyList<SpanRecord>? spans = null, IReadOnlyList<ScoreRecord>? scores = null) => new(
        t.TraceId, t.ProjectId, t.Name, t.Status, t.ExternalId, RawJson.From(t.Metadata),
        UnixMicros.ToDateTime(t.StartTimeUs), UnixMicros.ToDateTime(t.EndTimeUs), UnixMicros.ToDateTime(t.CreatedAtUs),
        t.SpanCount, t.ErrorCount, t.InputTokens, t.OutputTokens, t.InputTokens + t.OutputTokens, t.CostUsd, t.DurationMs,
        t.ModelList, t.ReplayOf, t.SessionId, t.UserId,
        spans?.Select(SpanDto.From).ToList(), scores?.Select(ScoreDto.From).ToList());
}

/// <summary><c>total</c> is exact when <c>total_exact</c>; otherwise a lower bound (counting stops at a cap).</summary>
public sealed record TraceListResponse(IReadOnlyList<TraceDto> Traces, int Total, int Offset, int Limit, bool TotalExact);

public sealed record SpanListResponse(IReadOnlyList<SpanDto> Spans, int Total, int Offset, int Limit, bool TotalExact);

/// <summary>PATCH /v1/traces/{id}: status and/or metadata keys to merge (a null value removes the key).</summary>
public sealed record TracePatchRequest(string? Status, System.Text.Json.Nodes.JsonObject? Metadata);

/// <summary>POST /v1/traces/{id}/events/{span_id}.</summary>
public sealed record SpanEventRequest(string? Name, System.Text.Json.Nodes.JsonObject? Attributes);
