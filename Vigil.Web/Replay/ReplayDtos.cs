using System.Text.Json.Nodes;
using Vigil.Core.Replay;
using Vigil.Core.Storage;
using Vigil.Web.Api;

namespace Vigil.Web.Replay;

/// <summary>POST /v1/traces/{id}/replay: span_id → {model, temperature, max_tokens, top_p, messages, system, provider}.</summary>
/// <summary>POST /v1/traces/{id}/replay: mutations per span id; <c>only_spans</c> re-runs just those LLM spans (playground).</summary>
public sealed record ReplayRequest(JsonNode? Mutations, IReadOnlyList<string>? OnlySpans = null);

public sealed record LlmSpanEstimateDto(string SpanId, string Name, string Model, string? OriginalModel, string Provider, double EstimatedCostUsd);

public sealed record ReplayEstimateResponse(
    string ReplayRunId, string OriginalTraceId, string Status, double EstimatedCostUsd, int LlmSpansCount, IReadOnlyList<LlmSpanEstimateDto> LlmSpans)
{
    public static ReplayEstimateResponse From(ReplayEstimate e) => new(
        e.Run.Id, e.Run.OriginalTraceId, e.Run.Status, e.Run.EstimatedCostUsd, e.Run.LlmSpansCount,
        e.LlmSpans.Select(p => new LlmSpanEstimateDto(p.Span.SpanId, p.Span.Name, p.Model, p.Span.Model, p.Provider, p.EstimatedCostUsd)).ToList());
}

public sealed record ReplayRunDto(
    string Id, string OriginalTraceId, string Status, RawJson? Config, double EstimatedCostUsd, double? ActualCostUsd,
    int LlmSpansCount, int CompletedSpans, double Progress, string? ResultTraceId, string? ErrorMessage,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime? StartedAt, DateTime? CompletedAt)
{
    public static ReplayRunDto From(ReplayRun r) => new(
        r.Id, r.OriginalTraceId, r.Status, RawJson.From(r.Config), r.EstimatedCostUsd, r.ActualCostUsd,
        r.LlmSpansCount, r.CompletedSpans, r.LlmSpansCount == 0 ? (r.Status == ReplayStatus.Completed ? 1 : 0) : Math.Min(1, (double)r.CompletedSpans / r.LlmSpansCount),
        r.ResultTraceId, r.ErrorMessage, UnixMicros.ToDateTime(r.CreatedAtUs), UnixMicros.ToDateTime(r.UpdatedAtUs),
        UnixMicros.ToDateTime(r.StartedAtUs), UnixMicros.ToDateTime(r.CompletedAtUs));
}

public sealed record ReplayListResponse(IReadOnlyList<ReplayRunDto> Replays, int Total, int Offset, int Limit);

/// <summary>The stored diff entries are passed through as stored (already snake_case).</summary>
public sealed record ReplayDiffResponse(string ReplayRunId, string OriginalTraceId, string? ResultTraceId, string Status, RawJson Diffs);

public sealed record ProviderSettingsDto(string? BaseUrl, string? ApiKey);

/// <summary>PUT /v1/projects/{id}/providers. A missing provider or field is left alone; an empty string clears it.</summary>
public sealed record ProvidersRequest(ProviderSettingsDto? Openai, ProviderSettingsDto? Anthropic);

public sealed record ProviderStatusDto(string? BaseUrl, bool Configured, string? KeySource);

public sealed record ProvidersResponse(ProviderStatusDto Openai, ProviderStatusDto Anthropic)
{
    public static ProvidersResponse From(IReadOnlyDictionary<string, ProviderStatus> s) => new(Dto(s["openai"]), Dto(s["anthropic"]));

    private static ProviderStatusDto Dto(ProviderStatus p) => new(p.BaseUrl, p.Configured, p.KeySource);
}
