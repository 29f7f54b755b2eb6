namespace Vigil.Core.Ingest.Otlp;

/// <summary>
/// One message in the OpenAI-like shape the native SDK records (and replay sends back to a provider).
/// <paramref name="ToolCallsJson"/> is a ready JSON array of <c>{id, type, function: {name, arguments}}</c>.
/// </summary>
internal sealed record ChatMessage(string Role, string? Content, string? ToolCallsJson = null, string? ToolCallId = null, string? FinishReason = null);
