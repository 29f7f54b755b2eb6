using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Vigil.E2E.Tests.Infrastructure;

/// <summary>Test traces, sent through the real ingest API (POST /v1/traces with the project's key).</summary>
public static class Seed
{
    public const string AgentTraceId = "e2e-agent-trace";
    public const string XssTraceId = "e2e-xss-trace";
    public const string BigTraceId = "e2e-10k-spans";
    public const int BigSpanCount = 10_000;
    public const string XssPayload = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 1\">";
    public const int FillerCount = 30;

    public static async Task AllAsync(Uri baseAddress, string apiKey, DateTimeOffset now)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        await PostAsync(http, AgentTrace(now.AddMinutes(-5)));
        await PostAsync(http, XssTrace(now.AddMinutes(-4)));
        await PostAsync(http, Fillers(now.AddHours(-3)));
        var start = now.AddMinutes(-20);
        for (var batch = 0; batch < BigSpanCount / 1000; batch++) await PostAsync(http, BigTraceBatch(start, batch));
    }

    /// <summary>Sends one span of <paramref name="traceId"/> (a live trace that grows during a test).</summary>
    public static async Task PostSpanAsync(Uri baseAddress, string apiKey, string traceId, string spanId, string? parent, DateTimeOffset start)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        await PostAsync(http, new JsonObject { ["spans"] = new JsonArray(Span(traceId, spanId, parent, spanId, "custom", "ok", start, 100)) });
    }

    private static async Task PostAsync(HttpClient http, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        var response = await http.PostAsync("v1/traces", content);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"Seeding failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string T(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    private static JsonObject Span(string traceId, string id, string? parent, string name, string kind, string status,
        DateTimeOffset start, double? durationMs, JsonObject? input = null, JsonObject? output = null, JsonObject? metadata = null, JsonArray? events = null) => new()
    {
        ["span_id"] = id, ["trace_id"] = traceId, ["parent_span_id"] = parent, ["name"] = name, ["kind"] = kind, ["status"] = status,
        ["input"] = input, ["output"] = output, ["metadata"] = metadata ?? new JsonObject(), ["events"] = events ?? new JsonArray(),
        ["start_time"] = T(start), ["end_time"] = durationMs is { } d ? T(start.AddMilliseconds(d)) : null,
    };

    /// <summary>An agent run: an LLM call that asks for a tool, the tool, an LLM call with the result, a failing tool, a running span and an orphan.</summary>
    private static JsonObject AgentTrace(DateTimeOffset t0)
    {
        const string id = AgentTraceId;
        var messages = new JsonArray
        {
            new JsonObject { ["role"] = "system", ["content"] = "You are a helpful weather assistant." },
            new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "What's the weather in Paris?" }) },
        };
        var spans = new JsonArray
        {
            Span(id, "root", null, "support-agent", "agent", "ok", t0, 4200, new JsonObject { ["question"] = "What's the weather in Paris?" }, new JsonObject { ["answer"] = "Sunny, 21 °C." }),
            Span(id, "plan", "root", "openai.chat.completions.create", "llm", "ok", t0.AddMilliseconds(50), 900,
                new JsonObject { ["model"] = "gpt-4o", ["messages"] = messages.DeepClone(), ["temperature"] = 0.2 },
                new JsonObject
                {
                    ["content"] = null, ["model"] = "gpt-4o",
                    ["tool_calls"] = new JsonArray(new JsonObject { ["id"] = "call_1", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "get_weather", ["arguments"] = "{\"city\":\"Paris\"}" } }),
                    ["usage"] = new JsonObject { ["prompt_tokens"] = 120, ["completion_tokens"] = 18 },
                }),
            Span(id, "tool", "root", "get_weather", "tool", "ok", t0.AddMilliseconds(1000), 350,
                new JsonObject { ["city"] = "Paris" }, new JsonObject { ["temperature_c"] = 21, ["sky"] = "sunny" }),
            Span(id, "answer", "root", "openai.chat.completions.create", "llm", "ok", t0.AddMilliseconds(1400), 1500,
                new JsonObject
                {
                    ["model"] = "gpt-4o",
                    ["messages"] = new JsonArray(
                        messages[0]!.DeepClone(), messages[1]!.DeepClone(),
                        new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray(new JsonObject { ["id"] = "call_1", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "get_weather", ["arguments"] = "{\"city\":\"Paris\"}" } }) },
                        new JsonObject { ["role"] = "tool", ["tool_call_id"] = "call_1", ["content"] = "{\"temperature_c\":21,\"sky\":\"sunny\"}" }),
                },
                new JsonObject { ["content"] = "It's sunny in Paris, 21 °C.", ["model"] = "gpt-4o", ["usage"] = new JsonObject { ["prompt_tokens"] = 180, ["completion_tokens"] = 12 } }),
            Span(id, "save", "root", "save-transcript", "tool", "error", t0.AddMilliseconds(3000), 40,
                new JsonObject { ["path"] = "/tmp/out.txt" }, null,
                new JsonObject { ["error"] = "PermissionError: [Errno 13] Permission denied" },
                new JsonArray(new JsonObject { ["name"] = "exception", ["timestamp"] = T(t0.AddMilliseconds(3030)), ["attributes"] = new JsonObject { ["exception.type"] = "PermissionError", ["exception.message"] = "Permission denied", ["exception.stacktrace"] = "Traceback (most recent call last):\n  File \"agent.py\", line 42, in save\nPermissionError" } })),
            Span(id, "stream", "root", "stream-summary", "chain", "unset", t0.AddMilliseconds(3100), null),
            Span(id, "orphan", "missing-parent", "late-callback", "custom", "ok", t0.AddMilliseconds(3500), 100),
        };
        return new JsonObject { ["spans"] = spans, ["trace_name"] = "support-agent", ["external_id"] = "ticket-4711" };
    }

    private static JsonObject XssTrace(DateTimeOffset t0)
    {
        var spans = new JsonArray
        {
            Span(XssTraceId, "x1", null, "xss-probe", "llm", "ok", t0, 500,
                new JsonObject { ["model"] = "gpt-4o-mini", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = XssPayload }), ["note"] = XssPayload },
                new JsonObject { ["content"] = XssPayload, ["model"] = "gpt-4o-mini" }),
        };
        return new JsonObject { ["spans"] = spans, ["trace_name"] = "xss-probe" };
    }

    private static JsonObject Fillers(DateTimeOffset t0)
    {
        var spans = new JsonArray();
        string[] names = ["rag-query", "summarize", "classify-ticket"];
        string[] models = ["gpt-4o-mini", "claude-3-5-sonnet-20241022", "gpt-4o"];
        for (var i = 0; i < FillerCount; i++)
        {
            var traceId = $"e2e-filler-{i:D2}";
            var start = t0.AddMinutes(i);
            var failed = i % 7 == 3;
            spans.Add(Span(traceId, "r", null, names[i % 3], "chain", failed ? "error" : "ok", start, 200 + i * 37));
            spans.Add(Span(traceId, "l", "r", "llm-call", "llm", failed ? "error" : "ok", start.AddMilliseconds(10), 150 + i * 30,
                new JsonObject { ["model"] = models[i % 3], ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"question {i}" }) },
                new JsonObject { ["content"] = $"answer {i}", ["usage"] = new JsonObject { ["prompt_tokens"] = 100 + i * 10, ["completion_tokens"] = 20 + i } }));
        }
        return new JsonObject { ["spans"] = spans };
    }

    /// <summary>One batch of the 10,000-span trace: 100 steps under the root, each a chain of nested calls with leaves.</summary>
    private static JsonObject BigTraceBatch(DateTimeOffset t0, int batch)
    {
        var spans = new JsonArray();
        for (var i = batch * 1000; i < (batch + 1) * 1000; i++)
        {
            string? parent;
            string kind;
            var stepStart = (i - 1) / 100 * 100 + 1;
            var pos = i - stepStart;
            if (i == 0) { parent = null; kind = "agent"; }
            else if (pos == 0) { parent = "s0"; kind = "chain"; }                      // a step under the root
            else if (pos % 10 == 1) { parent = $"s{stepStart}"; kind = "llm"; }       // a call under the step
            else { parent = $"s{i - 1}"; kind = i % 3 == 0 ? "tool" : "retriever"; } // nested work under the call
            var start = t0.AddMilliseconds(i * 5);
            var duration = i == 0 ? BigSpanCount * 5 + 50 : 4 + (i % 17);
            spans.Add(Span(BigTraceId, $"s{i}", parent, i == 0 ? "big-pipeline" : $"{kind}-{i}", kind, i % 997 == 5 ? "error" : "ok", start, duration));
        }
        return batch == 0 ? new JsonObject { ["spans"] = spans, ["trace_name"] = "big-pipeline" } : new JsonObject { ["spans"] = spans };
    }
}
