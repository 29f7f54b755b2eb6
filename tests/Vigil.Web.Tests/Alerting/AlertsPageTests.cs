using Bunit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Vigil.Core.Accounts;
using Vigil.Core.Alerting;
using Vigil.Core.Alerting.Channels;
using Vigil.Core.Alerting.Monitors;
using Vigil.Core.Drift;
using Vigil.Core.Ingest;
using Vigil.Web.Accounts;
using Vigil.Web.Auth;
using Vigil.Web.Charts;
using Vigil.Web.Components.Pages;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Alerting;

/// <summary>The Alerts page over the real services on SQLite: who may manage channels, the editor's errors, live state.</summary>
public class AlertsPageTests : VigilComponentTest
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public AlertsPageTests()
    {
        var config = new ConfigurationBuilder().Build();
        Services.AddVigilAuth();
        Services.AddVigilAccounts();
        Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        Services.AddSingleton<Vigil.Core.Replay.IProviderKeyProtector, Vigil.Web.Replay.DataProtectionKeyProtector>();
        Services.AddVigilDrift(config);
        Services.AddVigilAlerting(config);
        Services.AddChartRenderer();
    }

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await using var scope = Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in new[] { VigilRoles.Admin, VigilRoles.Member }) await roles.CreateAsync(new IdentityRole(role));
        await Services.GetRequiredService<MonitorService>().CreateAsync("p1", new MonitorInput("Errors", MonitorMetric.ErrorRate, 15, 0.1, 0.3, "above", Hysteresis: 1));
        await Services.GetRequiredService<ChannelService>().CreateAsync("p1", new ChannelInput("On call", ChannelType.Slack, "https://hooks.slack.test/services/SECRET", null, null));
    }

    private IRenderedComponent<Alerts> RenderPage()
    {
        Render<MudPopoverProvider>();
        var cut = Render<Alerts>();
        cut.WaitForElement("[data-testid=monitor-row]", Wait);
        return cut;
    }

    [Fact]
    public void An_admin_manages_channels_and_reads_their_delivery_log()
    {
        var cut = RenderPage();
        cut.WaitForElement("[data-testid=channel-row]", Wait);
        foreach (var control in new[] { "new-channel", "send-test", "delete-channel", "delivery-log" })
            Assert.NotEmpty(cut.FindAll($"[data-testid={control}]"));
        Assert.DoesNotContain("SECRET", cut.Markup);
        Assert.Contains("https://hooks.slack.test/…", cut.Find("[data-testid=channel-row]").TextContent);
    }

    [Fact]
    public async Task A_member_sees_monitors_and_channels_but_cannot_manage_channels()
    {
        var (_, user) = await Services.GetRequiredService<UserAdmin>().CreateAsync("oncall@test.local", "member-password-1", VigilRoles.Member);
        await Services.GetRequiredService<Vigil.Core.Accounts.MembershipService>().AddAsync("p1", user!.Id);
        SignInAsMember(user.Id, "oncall@test.local");
        var cut = RenderPage();
        cut.WaitForElement("[data-testid=channel-row]", Wait);

        foreach (var control in new[] { "new-channel", "send-test", "delete-channel", "delivery-log" })
            Assert.Empty(cut.FindAll($"[data-testid={control}]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=new-monitor]"));
    }

    [Fact]
    public void The_editor_names_what_is_wrong()
    {
        var cut = RenderPage();
        cut.Find("[data-testid=new-monitor]").Click();
        cut.WaitForElement("[data-testid=monitor-editor]", Wait);
        cut.Find("input[data-testid=monitor-warning]").Change("0.5"); // above the critical level (0.1)
        cut.Find("[data-testid=save-monitor]").Click();
        var errors = cut.WaitForElement("[data-testid=monitor-errors]", Wait).TextContent;
        Assert.Contains("name", errors);
        Assert.Contains("warning: With direction above, warning must not be more than critical.", errors);
        Assert.Single(cut.FindAll("[data-testid=monitor-row]"));
    }

    [Fact]
    public async Task A_state_change_shows_live_beside_an_open_drift_alert()
    {
        var cut = RenderPage();
        Assert.Equal("ok", cut.Find("[data-testid=monitor-state]").TextContent.Trim());

        var json = AlertSpans.Batch(ok: 1, errors: 3);
        Assert.Empty((await Services.GetRequiredService<IngestService>().IngestAsync("p1",
            NativeBatchParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), new IngestOptions()), IngestMode.AllOrNothing)).Errors);
        await Services.GetRequiredService<MonitorEvaluator>().EvaluateAsync();
        var drift = Drift.DriftSpans.SteadyWithSlowCurrent(DateTimeOffset.UtcNow, ["tool"], ["tool"]);
        Assert.Empty((await Services.GetRequiredService<IngestService>().IngestAsync("p1",
            NativeBatchParser.Parse(System.Text.Encoding.UTF8.GetBytes(drift), new IngestOptions()), IngestMode.AllOrNothing)).Errors);
        await Services.GetRequiredService<DriftDetector>().RunAsync("p1");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("critical", cut.Find("[data-testid=monitor-state]").TextContent.Trim());
            Assert.Contains("75 %", cut.Find("[data-testid=monitor-last-value]").TextContent);
            Assert.Single(cut.FindAll("[data-testid=open-alert][data-source=monitor]"));
            Assert.Single(cut.FindAll("[data-testid=open-alert][data-source=drift]"));
        }, Wait);
    }
}
