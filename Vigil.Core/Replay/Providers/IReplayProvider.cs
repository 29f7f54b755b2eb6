namespace Vigil.Core.Replay.Providers;

/// <summary>Sends one chat request to an LLM provider. Throws <see cref="ReplayProviderException"/> on a provider error.</summary>
public interface IReplayProvider
{
    /// <summary>openai | anthropic.</summary>
    string Name { get; }

    Task<LlmResponse> CompleteAsync(LlmRequest request, ProviderEndpoint endpoint, CancellationToken ct);
}

public sealed class ReplayProviderException(string message, Exception? inner = null) : Exception(message, inner);

public static class ProviderNames
{
    public const string OpenAI = "openai";
    public const string Anthropic = "anthropic";

    public static bool IsKnown(string? name) => name is OpenAI or Anthropic;
}
