using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Sdk.Integrations;

/// <summary>
/// A provider's HTTP wire format, as <see cref="VigilLlmHttpHandler"/> needs it: which requests are LLM calls, the request
/// body as the replayable input, the answer as the output, and a parser for its streamed answer. The OpenAI and Anthropic
/// formats ship in the <c>Vigil.Sdk.OpenAI</c> and <c>Vigil.Sdk.Anthropic</c> packages; implement one for another provider.
/// </summary>
public abstract class LlmWireFormat
{
    /// <summary>The span's provider, e.g. <c>openai</c>.</summary>
    public abstract string Provider { get; }

    /// <summary>The span's name, e.g. <c>openai.chat.completions</c>.</summary>
    public abstract string SpanName { get; }

    /// <summary>True for the requests to record (the handler passes the others through untouched).</summary>
    public abstract bool IsLlmCall(HttpRequestMessage request);

    /// <summary>The request body as the replayable input <c>{model, messages:[{role, content}], temperature, max_tokens, top_p, stop, tools}</c>.</summary>
    public abstract JsonObject ReadRequest(JsonElement body);

    /// <summary>A complete (not streamed) answer as the output <c>{content, model, finish_reason, usage}</c> (see <see cref="LlmRecord.Output"/>).</summary>
    public abstract JsonObject ReadResponse(JsonElement body);

    /// <summary>A parser for one streamed answer (server-sent events).</summary>
    public abstract LlmStreamParser CreateStreamParser();

    /// <summary>True when the request asks for a streamed answer (<c>"stream": true</c> by default).</summary>
    public virtual bool IsStreaming(JsonElement body) => body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
}
