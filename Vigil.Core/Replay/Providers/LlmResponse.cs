using System.Text.Json.Nodes;

namespace Vigil.Core.Replay.Providers;

/// <summary>What a provider answered, normalized; <see cref="Output"/> is the span output in the Python SDK's shape.</summary>
public sealed record LlmResponse(
    string Content,
    string? Model,
    long? InputTokens,
    long? OutputTokens,
    string? FinishReason,
    JsonArray? ToolCalls,
    JsonObject Output);
