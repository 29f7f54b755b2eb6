using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Vigil.Tests.Cluster;

public static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostTracesAsync(this HttpClient client, string json) => client.PostAsync("/v1/traces", Json(json));

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> GetJsonAsync(this HttpClient client, string path) => client.GetFromJsonAsync<JsonElement>(path);

    /// <summary>Polls until <paramref name="condition"/> holds or <paramref name="within"/> passes (then fails with <paramref name="what"/>).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not within {within.TotalSeconds:0.#} s: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>A trace of one chain span and <paramref name="llmSpans"/> LLM spans (recorded OpenAI-style calls of <paramref name="model"/>).</summary>
    public static string LlmTrace(string traceId, int llmSpans, string model = "gpt-4o-mini")
    {
        var sb = new StringBuilder($$"""{"spans":[{"span_id":"root","trace_id":"{{traceId}}","name":"agent","kind":"chain","status":"ok","start_time":"2026-01-01T00:00:00Z","end_time":"2026-01-01T00:00:10Z"}""");
        for (var i = 1; i <= llmSpans; i++)
            sb.Append(",{\"span_id\":\"llm").Append(i).Append("\",\"trace_id\":\"").Append(traceId)
                .Append("\",\"parent_span_id\":\"root\",\"name\":\"call-").Append(i)
                .Append("\",\"kind\":\"llm\",\"status\":\"ok\",\"start_time\":\"2026-01-01T00:00:0").Append(i).Append("Z\",\"end_time\":\"2026-01-01T00:00:0").Append(i)
                .Append(".5Z\",\"input\":{\"model\":\"").Append(model).Append("\",\"messages\":[{\"role\":\"user\",\"content\":\"question ").Append(i)
                .Append("\"}]},\"output\":{\"content\":\"answer ").Append(i).Append("\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}}");
        return sb.Append("]}").ToString();
    }
}
