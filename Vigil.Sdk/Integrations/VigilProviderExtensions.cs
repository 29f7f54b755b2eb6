using System.ClientModel.Primitives;
using OpenAI;

namespace Vigil.Sdk.Integrations;

/// <summary>Hooks for the official OpenAI and Anthropic clients (both record through <see cref="VigilLlmHttpHandler"/>).</summary>
public static class VigilProviderExtensions
{
    /// <summary>
    /// Routes an <see cref="OpenAIClientOptions"/>'s HTTP traffic through Vigil, so every <c>ChatClient</c> call
    /// (complete or stream, sync or async) becomes an llm span:
    /// <c>new ChatClient("gpt-4o", key, new OpenAIClientOptions().UseVigil(vigil))</c>.
    /// </summary>
    public static OpenAIClientOptions UseVigil(this OpenAIClientOptions options, VigilClient vigil, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new VigilLlmHttpHandler(vigil, LlmProvider.OpenAI, innerHandler ?? new SocketsHttpHandler());
        // The OpenAI pipeline applies its own network timeout; the HttpClient one must not cut it short.
        options.Transport = new HttpClientPipelineTransport(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan });
        return options;
    }

    /// <summary>
    /// A handler for the Anthropic client's <c>Handlers</c> list:
    /// <c>new AnthropicClient { ApiKey = key, Handlers = [vigil.AnthropicHandler()] }</c>.
    /// </summary>
    public static DelegatingHandler AnthropicHandler(this VigilClient vigil) => new VigilLlmHttpHandler(vigil, LlmProvider.Anthropic);

    /// <summary>A handler for an <see cref="HttpClient"/> used with an OpenAI-compatible API.</summary>
    public static DelegatingHandler OpenAIHandler(this VigilClient vigil) => new VigilLlmHttpHandler(vigil, LlmProvider.OpenAI);
}
