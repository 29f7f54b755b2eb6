using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Vigil.Core.Live;
using Vigil.Core.Replay;
using Vigil.Core.Traces;
using Vigil.Web.Components.Replay;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Replay;

/// <summary>The panel over the real services of a running host (real SQLite, worker, fake provider).</summary>
public class ReplayPanelTests : BunitContext, IClassFixture<ReplayWebFixture>
{
    private const string OpenAiTrace = "9f0c6f2e-0d1c-4a8e-9a51-6e7d2f3a0001";
    private readonly ReplayWebFixture _fixture;

    public ReplayPanelTests(ReplayWebFixture fixture)
    {
        _fixture = fixture;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        var host = fixture.Factory;
        host.ClientWithKey(); // starts the host
        Services.AddSingleton(host.Get<TraceQueryService>());
        Services.AddSingleton(host.Get<ReplayService>());
        Services.AddSingleton(host.Get<LiveFeed>());
        Services.AddSingleton(host.Get<Vigil.Core.Projects.ProjectService>());
    }

    [Fact]
    public async Task Edit_estimate_run_and_follow_progress_to_the_diff_link()
    {
        await _fixture.Factory.ClientWithKey().PostTracesAsync(Fixtures.Read("native/python-sdk-openai.json"));
        var cut = Render<ReplayPanel>(p => p.Add(x => x.ProjectId, VigilWebFactory.ProjectId).Add(x => x.TraceId, OpenAiTrace));
        cut.WaitForAssertion(() => Assert.True(cut.FindAll("input[data-testid=replay-model]").Count > 0, cut.Markup), TimeSpan.FromSeconds(5));

        cut.Find("input[data-testid=replay-model]").Change("gpt-4o-panel");
        cut.Find("textarea[data-testid=replay-system]").Change("Answer in French.");
        cut.Find("[data-testid=replay-estimate]").Click();
        cut.WaitForAssertion(() => Assert.Contains("1 LLM span", cut.Find("[data-testid=replay-estimate-result]").TextContent));

        cut.Find("[data-testid=replay-run]").Click();
        cut.WaitForAssertion(() => Assert.Equal("completed", cut.Find("[data-testid=replay-status]").TextContent), TimeSpan.FromSeconds(20));
        Assert.StartsWith("/replays/", cut.Find("[data-testid=replay-diff-link]").GetAttribute("href"));

        var sent = _fixture.Fake.OpenAiRequests.Single(r => r.Body["model"]!.GetValue<string>() == "gpt-4o-panel");
        Assert.Equal("Answer in French.", sent.Body["messages"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_messages_json_is_reported_not_sent()
    {
        await _fixture.Factory.ClientWithKey().PostTracesAsync(Fixtures.Read("native/python-sdk-openai.json"));
        var cut = Render<ReplayPanel>(p => p.Add(x => x.ProjectId, VigilWebFactory.ProjectId).Add(x => x.TraceId, OpenAiTrace));
        cut.WaitForElement("textarea[data-testid=replay-messages]").Change("[not json");
        cut.Find("[data-testid=replay-estimate]").Click();
        cut.WaitForAssertion(() => Assert.Contains("not valid JSON", cut.Find("[data-testid=replay-panel-error]").TextContent));
    }

    [Fact]
    public async Task The_projects_default_replay_models_are_one_click_choices()
    {
        await using (var db = await _fixture.Factory.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<Vigil.Core.Storage.VigilDbContext>>().CreateDbContextAsync())
        {
            var project = await db.Projects.FindAsync(VigilWebFactory.ProjectId);
            project!.DefaultReplayModels = "gpt-4o, claude-3-5-haiku-20241022";
            await db.SaveChangesAsync();
        }
        await _fixture.Factory.ClientWithKey().PostTracesAsync(Fixtures.Read("native/python-sdk-openai.json"));
        var cut = Render<ReplayPanel>(p => p.Add(x => x.ProjectId, VigilWebFactory.ProjectId).Add(x => x.TraceId, OpenAiTrace));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=replay-model-suggestion]").Count));
        // The panel may still re-render from its other loads (a click on a replaced button is lost): click until it took.
        cut.WaitForAssertion(() =>
        {
            cut.FindAll("[data-testid=replay-model-suggestion]")[1].Click();
            Assert.Equal("claude-3-5-haiku-20241022", cut.Find("input[data-testid=replay-model]").GetAttribute("value"));
        });
    }
}
