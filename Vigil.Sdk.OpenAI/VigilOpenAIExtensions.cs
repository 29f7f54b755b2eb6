using System.ClientModel.Primitives;
using OpenAI;

namespace Vigil.Sdk.Integrations;

/// <summary>Hooks for the official OpenAI client and OpenAI-compatible APIs (recording through <see cref="VigilLlmHttpHandler"/>).</summary>
public static class VigilOpenAIExtensions
{
    /// <summary>
    /// Routes an <see cref="OpenAIClientOptions"/>'s HTTP traffic through Vigil, so every <c>ChatClient</c> call
    /// (complete or stream, sync or async) becomes an llm span:
    /// <c>new ChatClient("gpt-4o", key, new OpenAIClientOptions().UseVigil(vigil))</c>.
    /// </summary>
    public static OpenAIClientOptions UseVigil(this OpenAIClientOptions options, VigilClient vigil, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new VigilLlmHttpHandler(vigil, OpenAIWireFormat.Instance, innerHandler ?? new SocketsHttpHandler());
        // The OpenAI pipeline applies its own network timeout; the HttpClient one must not cut it short.
        options.Transport = new HttpClientPipelineTransport(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan });
        return options;
    }

    /// <summary>A handler for an <see cref="HttpClient"/> used with an OpenAI-compatible API.</summary>
    public static DelegatingHandler OpenAIHandler(this VigilClient vigil) => new VigilLlmHttpHandler(vigil, OpenAIWireFormat.Instance);
}
