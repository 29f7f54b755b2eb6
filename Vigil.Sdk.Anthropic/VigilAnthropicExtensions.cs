namespace Vigil.Sdk.Integrations;

/// <summary>Hooks for the official Anthropic client (recording through <see cref="VigilLlmHttpHandler"/>).</summary>
public static class VigilAnthropicExtensions
{
    /// <summary>
    /// A handler for the Anthropic client's <c>Handlers</c> list, so every <c>Messages.Create</c> and
    /// <c>Messages.CreateStreaming</c> call becomes an llm span:
    /// <c>new AnthropicClient { ApiKey = key, Handlers = [vigil.AnthropicHandler()] }</c>.
    /// </summary>
    public static DelegatingHandler AnthropicHandler(this VigilClient vigil) => new VigilLlmHttpHandler(vigil, AnthropicWireFormat.Instance);
}
