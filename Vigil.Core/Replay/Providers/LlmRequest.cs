using System.Text.Json.Nodes;

namespace Vigil.Core.Replay.Providers;

/// <summary>
/// A provider-neutral chat request rebuilt from a recorded span input (after mutations). Messages keep the recorded
/// shape; each provider maps them onto its own wire format.
/// </summary>
public sealed record LlmRequest(
    string Model,
    JsonArray Messages,
    string? System = null,
    double? Temperature = null,
    long? MaxTokens = null,
    double? TopP = null,
    JsonNode? Stop = null,
    JsonArray? Tools = null);
