using System.Text.Json.Nodes;

namespace Vigil.Core.Replay;

/// <summary>What a replay changes on one LLM span; null fields keep the recorded value.</summary>
public sealed record SpanMutation
{
    public string? Model { get; init; }
    public double? Temperature { get; init; }
    public long? MaxTokens { get; init; }
    public double? TopP { get; init; }
    public JsonArray? Messages { get; init; }
    public string? System { get; init; }
    /// <summary>openai | anthropic: overrides the provider read from the recorded span.</summary>
    public string? Provider { get; init; }
}
