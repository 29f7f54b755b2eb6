using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vigil.Core.Projects;
using Vigil.E2E.Tests.Infrastructure;
using Vigil.Sdk;
using Vigil.Sdk.Tracing;

namespace Vigil.E2E.Tests;

/// <summary>
/// Sessions in a real browser: a five-turn conversation sent through the .NET SDK and one through OTLP
/// (gen_ai.conversation.id) each read as one session in order; scores from the SDK, the API and the dashboard show on a
/// trace, and the trace list filters on them.
/// </summary>
public class SessionsE2ETests(DashboardFixture fx) : IClassFixture<DashboardFixture>
{
    private const string Project = "sessions-e2e";
    private static readonly string[] Questions =
        ["Hi, I ordered a blue kettle last week.", "It has not arrived yet. Order 4417.", "Can you check where it is?", "Will it come before Friday?", "Great, thank you!"];
    private static readonly string[] Answers =
        ["Hello! I can help with that order.", "Thanks — I found order 4417 for a blue kettle.", "It left our warehouse on Monday and is with the courier.",
         "Yes, delivery is planned for Thursday.", "You're welcome, enjoy the kettle!"];

    [Fact]
    public async Task Sdk_and_otlp_conversations_read_as_sessions_and_scores_show_and_filter()
    {
        var (_, key) = await fx.Server.Services.GetRequiredService<ProjectService>().CreateAsync(Project, "Sessions E2E", null);
        using var api = new HttpClient { BaseAddress = fx.Server.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        // Five turns through the SDK, in one ambient session, each an LLM call; the second one gets a score on its span.
        var traceIds = new List<string>();
        await using (var vigil = new VigilClient(new VigilOptions { Endpoint = fx.Server.BaseAddress.ToString().TrimEnd('/'), ApiKey = key, FlushInterval = TimeSpan.FromMilliseconds(20) }))
        {
            using (VigilContext.Session("support-chat-4417", "customer-42"))
            {
                for (var i = 0; i < Questions.Length; i++)
                {
                    using var trace = vigil.StartTrace("support-turn", input: new { message = Questions[i] });
                    traceIds.Add(trace.TraceId);
                    using (var llm = vigil.StartSpan("openai.chat", SpanKind.Llm, new { model = "gpt-4o-mini", messages = new[] { new { role = "user", content = Questions[i] } } }))
                    {
                        llm.SetModel("gpt-4o-mini", "openai").SetUsage(60 + 20 * i, 15 + i).SetOutput(new { content = Answers[i] });
                        if (i == 1) llm.Score("groundedness", 0.92, "quotes the order");
                    }
                    trace.SetOutput(new { answer = Answers[i] });
                    await Task.Delay(20);
                }
            }
            await vigil.ForceFlushAsync();
            Assert.True(await vigil.ScoreAsync(traceIds[3], "user_feedback", false, "it came on Saturday"));
        }
        var apiScore = await api.PostAsJsonAsync("/v1/scores", new { trace_id = traceIds[4], name = "helpfulness", value = 0.8, source = "api" });
        Assert.Equal(HttpStatusCode.Created, apiScore.StatusCode);
        await PostOtlpConversationAsync(api);

        var session = await api.GetFromJsonAsync<JsonElement>("/v1/sessions/support-chat-4417");
        Assert.Equal(traceIds, session.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("trace_id").GetString()));
        var otel = await api.GetFromJsonAsync<JsonElement>("/v1/sessions/otel-conv-7");
        Assert.Equal(5, otel.GetProperty("trace_count").GetInt32());

        // The sessions list.
        var page = await fx.OpenAsync($"/sessions?project={Project}");
        var links = page.Locator("[data-testid=session-link]");
        await Assertions.Expect(links).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=session-total]")).ToHaveTextAsync("2 sessions");
        await fx.ScreenshotAsync(page, "sessions-01-list");

        // The SDK conversation reads in order: five user messages and five answers.
        await page.Locator("[data-testid=session-link]", new() { HasText = "support-chat-4417" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/sessions/support-chat-4417"));
        var turns = page.Locator("[data-testid=turn]");
        await Assertions.Expect(turns).ToHaveCountAsync(5);
        for (var i = 0; i < 5; i++)
        {
            await Assertions.Expect(turns.Nth(i).Locator("[data-testid=chat-message][data-role=user]")).ToContainTextAsync(Questions[i]);
            await Assertions.Expect(turns.Nth(i).Locator("[data-testid=chat-message][data-role=assistant]")).ToContainTextAsync(Answers[i]);
        }
        await Assertions.Expect(turns.Nth(3).Locator("[data-testid=score-chip]")).ToContainTextAsync("user_feedback");
        await fx.ScreenshotAsync(page, "sessions-02-conversation");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(fx.ScreenshotDir, "sessions-02-conversation-full.png"), FullPage = true });

        // The OTLP conversation too.
        await page.GotoAsync($"/sessions/otel-conv-7?project={Project}");
        await DashboardFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(turns).ToHaveCountAsync(5);
        await Assertions.Expect(turns.Nth(2).Locator("[data-testid=chat-message][data-role=user]")).ToContainTextAsync("otel question 3");
        await Assertions.Expect(turns.Nth(2).Locator("[data-testid=chat-message][data-role=assistant]")).ToContainTextAsync("otel answer 3");
        await fx.ScreenshotAsync(page, "sessions-03-otlp-conversation");

        // A turn's trace: the scores of the SDK (span), the API; a thumbs-up from the dashboard joins them.
        await page.GotoAsync($"/sessions/support-chat-4417?project={Project}");
        await DashboardFixture.WaitInteractiveAsync(page);
        await turns.Nth(4).Locator("[data-testid=turn-trace-link]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/traces/{traceIds[4]}"));
        var traceScores = page.Locator("[data-testid=trace-scores] [data-testid=score-item]");
        await Assertions.Expect(traceScores).ToHaveCountAsync(1);
        await page.Locator("[data-testid=trace-scores] [data-testid=score-add-open]").ClickAsync();
        await page.Locator("[data-testid=trace-scores] button[data-testid=score-up]").ClickAsync();
        await Assertions.Expect(traceScores).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=trace-session]")).ToHaveTextAsync("support-chat-4417");
        await fx.ScreenshotAsync(page, "sessions-04-trace-scores");
        var stored = await api.GetFromJsonAsync<JsonElement>($"/v1/scores?trace_id={traceIds[4]}&source=annotation");
        Assert.Equal("user_feedback", Assert.Single(stored.GetProperty("scores").EnumerateArray()).GetProperty("name").GetString());

        // The trace list filters on a score and on the session.
        await page.GotoAsync($"/traces?project={Project}&score=groundedness>=0.9");
        await DashboardFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=trace-total]")).ToHaveTextAsync("1 trace");
        await Assertions.Expect(page.Locator("[data-testid=score-chip]").First).ToContainTextAsync("groundedness");
        await fx.ScreenshotAsync(page, "sessions-05-traces-by-score");
        await page.GotoAsync($"/traces?project={Project}&session=otel-conv-7");
        await DashboardFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=trace-total]")).ToHaveTextAsync("5 traces");

        // Users and a user's view.
        await page.GotoAsync($"/users?project={Project}");
        await DashboardFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=user-link]")).ToHaveCountAsync(2);
        await fx.ScreenshotAsync(page, "sessions-06-users");
        await page.Locator("[data-testid=user-link]", new() { HasText = "customer-42" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=user-sessions]")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("[data-testid=user-cost-chart] svg")).ToBeVisibleAsync();
        await fx.ScreenshotAsync(page, "sessions-07-user");
        await page.CloseAsync();
    }

    /// <summary>Five OTLP/JSON turns of conversation "otel-conv-7" with GenAI input/output messages; the user on the resource.</summary>
    private static async Task PostOtlpConversationAsync(HttpClient api)
    {
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 1; i <= 5; i++)
        {
            var start = (t0.AddSeconds(30 * i).ToUnixTimeMilliseconds() * 1_000_000).ToString();
            var end = (t0.AddSeconds(30 * i + 2).ToUnixTimeMilliseconds() * 1_000_000).ToString();
            JsonObject Attr(string k, string v) => new() { ["key"] = k, ["value"] = new JsonObject { ["stringValue"] = v } };
            var input = new JsonArray(new JsonObject { ["role"] = "user", ["parts"] = new JsonArray(new JsonObject { ["type"] = "text", ["content"] = $"otel question {i}" }) });
            var output = new JsonArray(new JsonObject { ["role"] = "assistant", ["parts"] = new JsonArray(new JsonObject { ["type"] = "text", ["content"] = $"otel answer {i}" }) });
            var body = new JsonObject
            {
                ["resourceSpans"] = new JsonArray(new JsonObject
                {
                    ["resource"] = new JsonObject { ["attributes"] = new JsonArray(Attr("service.name", "otel-chat"), Attr("enduser.id", "otel-user-9")) },
                    ["scopeSpans"] = new JsonArray(new JsonObject
                    {
                        ["spans"] = new JsonArray(new JsonObject
                        {
                            ["traceId"] = $"{0xE2E0 + i:x32}", ["spanId"] = $"{0xA0 + i:x16}", ["name"] = "chat gpt-4o", ["kind"] = 3,
                            ["startTimeUnixNano"] = start, ["endTimeUnixNano"] = end,
                            ["attributes"] = new JsonArray(Attr("gen_ai.operation.name", "chat"), Attr("gen_ai.request.model", "gpt-4o"),
                                Attr("gen_ai.conversation.id", "otel-conv-7"), Attr("gen_ai.input.messages", input.ToJsonString()), Attr("gen_ai.output.messages", output.ToJsonString())),
                        }),
                    }),
                }),
            };
            var response = await api.PostAsync("/v1/traces", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }
}
