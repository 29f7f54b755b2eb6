using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Sdk.Integrations;

/// <summary>
/// Accumulates one streamed answer, event by event, as the caller reads it: <see cref="VigilLlmHttpHandler"/> splits the
/// server-sent events and hands each <c>data:</c> payload here, then asks for the output when the stream ends.
/// </summary>
public abstract class LlmStreamParser
{
    /// <summary>Reads one event; answers the text it added to the answer, if any (the first one times the first token).</summary>
    public abstract string? OnEvent(JsonElement data);

    /// <summary>The output of everything read so far.</summary>
    public abstract JsonObject Output();
}
