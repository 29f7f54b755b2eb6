using Bunit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Vigil.Core.Replay;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Vigil.Core.Accounts;
using Vigil.Core.Projects;
using Vigil.Core.Retention;
using Vigil.Web.Accounts;
using Vigil.Web.Auth;
using Vigil.Web.Components.Pages;
using Vigil.Web.Components.Settings;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Accounts;

/// <summary>The Settings page's management UI over the real services (Identity included) on SQLite.</summary>
public class SettingsPageTests : VigilComponentTest
{
    // Generous: a loaded 2-core machine can be slow to answer SQLite; the assertions themselves are about behaviour.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public SettingsPageTests()
    {
        Services.AddVigilAuth();
        Services.AddVigilAccounts();
        // The replay provider panel: provider keys are encrypted with Data Protection (ephemeral here).
        Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        Services.AddSingleton<Vigil.Core.Replay.IProviderKeyProtector, Vigil.Web.Replay.DataProtectionKeyProtector>();
        Services.AddVigilReplay(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        Services.AddVigilRetention(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
    }

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // The roles AccountInitializer makes at start-up (no host runs here).
        await using var scope = Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in new[] { VigilRoles.Admin, VigilRoles.Member }) await roles.CreateAsync(new IdentityRole(role));
    }

    private ProjectService Projects => Services.GetRequiredService<ProjectService>();

    private IRenderedComponent<Settings> RenderSettings()
    {
        Render<MudPopoverProvider>();
        var cut = Render<Settings>();
        // Panels load after the first render: p1 always has its first key, so a key row means the page is loaded.
        cut.WaitForElement("[data-testid=key-row]", Wait);
        return cut;
    }

    private static string NewSecret(IRenderedComponent<Settings> cut) =>
        cut.WaitForElement("[data-testid=new-secret-value]", Wait).TextContent.Trim();

    [Fact]
    public async Task An_admin_creates_a_named_key_shown_once_and_listed_by_prefix()
    {
        var cut = RenderSettings();
        cut.Find("input[data-testid=new-key-name]").Input("ci-pipeline");
        cut.Find("button[data-testid=create-key]").Click();
        var secret = NewSecret(cut);

        Assert.StartsWith("vgl_", secret);
        Assert.NotNull(await Projects.AuthenticateAsync(secret));
        var row = cut.FindAll("[data-testid=key-row]").Single(r => r.TextContent.Contains("ci-pipeline"));
        Assert.Equal(ApiKeySecret.Prefix(secret), row.GetAttribute("data-prefix"));
        Assert.DoesNotContain(secret, row.TextContent); // the table shows prefixes only
        Assert.NotNull(cut.Find("[data-testid=new-secret] [data-testid=copy]"));

        // Dismissed, it is gone for good.
        cut.Find("[data-testid=new-secret] button.mud-alert-close-button, [data-testid=new-secret] .mud-alert-close button").Click();
        Assert.DoesNotContain(secret, cut.Markup);
    }

    [Fact]
    public async Task Revoking_asks_to_confirm_then_the_key_stops_working()
    {
        var (key, secret) = await Projects.CreateKeyAsync("p1", "to-revoke");
        var cut = RenderSettings();
        var row = () => cut.FindAll("[data-testid=key-row]").Single(r => r.GetAttribute("data-prefix") == key.Prefix);
        // The panel may still re-render from its own loads, and a click on a replaced button is lost: click until it took.
        cut.WaitForAssertion(() =>
        {
            if (row().QuerySelector("[data-testid=confirm-revoke]") is null) row().QuerySelector("[data-testid=revoke-key]")!.Click();
            Assert.NotNull(row().QuerySelector("[data-testid=confirm-revoke]"));
        }, Wait);
        Assert.NotNull(await Projects.AuthenticateAsync(secret)); // not yet
        cut.WaitForAssertion(() =>
        {
            row().QuerySelector("[data-testid=confirm-revoke]")?.Click();
            Assert.Equal("revoked", row().QuerySelector("[data-testid=key-state]")!.TextContent);
        }, Wait);
        Assert.Null(await Projects.AuthenticateAsync(secret));
    }

    [Fact]
    public async Task Rotating_a_key_shows_its_replacement_once_and_revokes_it()
    {
        var (key, secret) = await Projects.CreateKeyAsync("p1", "to-rotate");
        var cut = RenderSettings();
        cut.FindAll("[data-testid=key-row]").Single(r => r.GetAttribute("data-prefix") == key.Prefix)
            .QuerySelector("[data-testid=rotate-key]")!.Click();
        var replacement = NewSecret(cut);

        Assert.Null(await Projects.AuthenticateAsync(secret));
        Assert.Equal("p1", (await Projects.AuthenticateAsync(replacement))?.ProjectId);
        Assert.Contains(cut.FindAll("[data-testid=key-row]"), r => r.GetAttribute("data-prefix") == ApiKeySecret.Prefix(replacement) && r.TextContent.Contains("to-rotate"));
    }

    [Fact]
    public async Task An_admin_creates_a_project_then_a_user_who_is_a_member_of_it()
    {
        var cut = RenderSettings();
        cut.Find("input[data-testid=new-project-id]").Input("ui-made");
        cut.Find("input[data-testid=new-project-name]").Change("Made in the UI");
        cut.Find("button[data-testid=create-project]").Click();
        var firstKey = cut.WaitForElement("[data-testid=projects-panel] [data-testid=new-secret-value]", Wait).TextContent.Trim();
        Assert.Equal("ui-made", (await Projects.AuthenticateAsync(firstKey))?.ProjectId);
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[data-testid=project-row]"), r => r.TextContent.Contains("Made in the UI")), Wait);

        var users = cut.FindComponent<UsersPanel>();
        users.Find("input[data-testid=new-user-email]").Change("new.member@test.local");
        users.Find("input[data-testid=new-user-password]").Change("member-password-1");
        var select = users.FindComponent<MudSelect<string>>();
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync("ui-made"));
        users.Find("button[data-testid=create-user]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Created new.member@test.local, a member of ui-made", cut.Find("[data-testid=user-message]").TextContent), Wait);
        var created = (await Services.GetRequiredService<UserAdmin>().ListAsync()).Single(u => u.Email == "new.member@test.local");
        Assert.False(created.IsAdmin);
        Assert.Equal(["ui-made"], (await Services.GetRequiredService<MembershipService>().ProjectsForAsync(created.Id, false)).Select(p => p.Id));
    }

    [Fact]
    public async Task An_admin_adds_an_existing_user_to_the_current_project()
    {
        var (_, user) = await Services.GetRequiredService<UserAdmin>().CreateAsync("later@test.local", "member-password-1", VigilRoles.Member);
        var cut = RenderSettings();
        var members = cut.FindComponent<MembersPanel>();
        Assert.NotNull(members.Find("[data-testid=no-members]"));
        // The candidate list has loaded once the select is enabled (a choice made earlier would be reset by the load).
        cut.WaitForAssertion(() => Assert.False(members.FindComponent<MudSelect<string>>().Instance.Disabled), Wait);
        await cut.InvokeAsync(() => members.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync(user!.Id));
        members.Find("button[data-testid=add-member]").Click();

        cut.WaitForAssertion(() => Assert.Contains("later@test.local", members.Find("[data-testid=members]").TextContent), Wait);
        Assert.Equal(["p1"], (await Services.GetRequiredService<MembershipService>().ProjectsForAsync(user!.Id, false)).Select(p => p.Id));
    }

    [Fact]
    public async Task A_member_sees_their_projects_keys_but_no_management()
    {
        var (_, user) = await Services.GetRequiredService<UserAdmin>().CreateAsync("reader@test.local", "member-password-1", VigilRoles.Member);
        await Services.GetRequiredService<MembershipService>().AddAsync("p1", user!.Id);
        SignInAsMember(user.Id, "reader@test.local");
        var cut = RenderSettings();

        Assert.NotEmpty(cut.FindAll("[data-testid=key-row]"));
        foreach (var control in new[] { "create-key", "rotate-key", "revoke-key", "projects-panel", "users-panel", "members-panel" })
            Assert.Empty(cut.FindAll($"[data-testid={control}]"));
    }

    [Fact]
    public async Task An_admin_sets_a_projects_provider_key_which_is_never_shown_back()
    {
        const string providerKey = "sk-settings-page-0001";
        var cut = RenderSettings();
        cut.WaitForElement("[data-testid=providers-panel][data-loaded=true]", Wait);
        var openAi = () => cut.Find("[data-testid=provider-openai]");
        Assert.Contains("no key", openAi().QuerySelector("[data-testid=provider-state]")!.TextContent);
        openAi().QuerySelector("input[data-testid=provider-key]")!.Change(providerKey);
        openAi().QuerySelector("input[data-testid=provider-base-url]")!.Change("http://127.0.0.1:9/v1");
        cut.Find("button[data-testid=providers-save]").Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=providers-saved]")), Wait);
        Assert.Contains("key from project", openAi().QuerySelector("[data-testid=provider-state]")!.TextContent);
        Assert.DoesNotContain(providerKey, cut.Markup);
        var status = await Services.GetRequiredService<ProviderSettingsService>().GetAsync("p1");
        Assert.Equal("http://127.0.0.1:9/v1", status!["openai"].BaseUrl);
        Assert.True(status["openai"].Configured);
        // Anthropic untouched: its (default) base URL was not copied into the project.
        Assert.False(status["anthropic"].Configured);

        openAi().QuerySelector("button[data-testid=provider-clear]")!.Click();
        cut.WaitForAssertion(() => Assert.Contains("no key", openAi().QuerySelector("[data-testid=provider-state]")!.TextContent), Wait);
    }

    [Fact]
    public async Task A_bad_provider_url_is_refused_with_a_message()
    {
        var cut = RenderSettings();
        // The providers panel has loaded its settings: a later load would overwrite what the test types.
        cut.WaitForElement("[data-testid=providers-panel][data-loaded=true]", Wait);
        // On the renderer's thread: nothing re-renders between finding an element and using it.
        await cut.InvokeAsync(() => cut.Find("[data-testid=provider-anthropic] input[data-testid=provider-base-url]").Change("not a url"));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=providers-save]").Click());
        Assert.Contains("Anthropic", cut.WaitForElement("[data-testid=providers-error]", Wait).TextContent);
    }

    [Fact]
    public async Task An_admin_deletes_a_user_and_the_audit_tab_shows_who_did_it()
    {
        await Services.GetRequiredService<UserAdmin>().CreateAsync("leaving@test.local", "member-password-1", VigilRoles.Member);
        Services.GetRequiredService<Vigil.Web.Audit.CircuitClient>().Address = "203.0.113.50";
        var cut = RenderSettings();
        var users = cut.FindComponent<UsersPanel>();
        cut.WaitForAssertion(() => Assert.NotNull(users.Find("tr[data-email='leaving@test.local']")), Wait);
        // The panel may still re-render from its own loads (PostgreSQL is async for real): click until the confirm step shows.
        const string confirm = "tr[data-email='leaving@test.local'] button[data-testid=confirm-delete-user]";
        cut.WaitForAssertion(() =>
        {
            if (users.FindAll(confirm).Count == 0) users.Find("tr[data-email='leaving@test.local'] button[data-testid=delete-user]").Click();
            Assert.NotEmpty(users.FindAll(confirm));
        }, Wait);
        users.Find(confirm).Click();

        cut.WaitForAssertion(() => Assert.Contains("Deleted leaving@test.local", users.Find("[data-testid=user-message]").TextContent), Wait);
        Assert.DoesNotContain(await Services.GetRequiredService<UserAdmin>().ListAsync(), u => u.Email == "leaving@test.local");

        cut.FindAll(".mud-tab").Single(t => t.TextContent.Contains("Audit log")).Click();
        cut.WaitForAssertion(() =>
        {
            var row = cut.FindAll("[data-testid=audit-row]").Single(r => r.GetAttribute("data-action") == "account.delete");
            Assert.Contains("leaving@test.local", row.TextContent);
            Assert.Contains("admin@test.local", row.TextContent);
            Assert.Contains("203.0.113.50", row.TextContent);
        }, Wait);
    }

    [Fact]
    public async Task An_admin_gets_a_one_time_password_link_for_a_user()
    {
        await Services.GetRequiredService<UserAdmin>().CreateAsync("locked.out@test.local", "member-password-1", VigilRoles.Member);
        var cut = RenderSettings();
        var users = cut.FindComponent<UsersPanel>();
        cut.WaitForAssertion(() => Assert.NotNull(users.Find("tr[data-email='locked.out@test.local']")), Wait);
        users.Find("tr[data-email='locked.out@test.local'] button[data-testid=reset-link]").Click();
        var link = cut.WaitForElement("[data-testid=new-secret-value]", Wait).TextContent.Trim();
        Assert.Contains("/account/reset?user=", link);
        Assert.Contains("&token=", link);
        var audit = await Services.GetRequiredService<Vigil.Core.Audit.AuditLog>().ListAsync(0, 10, Vigil.Core.Audit.AuditActions.AccountPasswordResetLink);
        Assert.Equal("locked.out@test.local", Assert.Single(audit.Items).Target);
    }

    [Fact]
    public async Task Every_user_sees_the_account_tab_and_a_member_no_audit_tab()
    {
        var (_, user) = await Services.GetRequiredService<UserAdmin>().CreateAsync("someone@test.local", "member-password-1", VigilRoles.Member);
        await Services.GetRequiredService<MembershipService>().AddAsync("p1", user!.Id);
        SignInAsMember(user.Id, "someone@test.local");
        var cut = RenderSettings();
        var tabs = cut.FindAll(".mud-tab").Select(t => t.TextContent.Trim()).ToList();
        Assert.Contains(tabs, t => t.Contains("Your account"));
        Assert.DoesNotContain(tabs, t => t.Contains("Audit log"));
    }

    [Fact]
    public async Task An_admin_sets_retention_and_runs_it_now()
    {
        // Two traces: one ended in 2020, one now.
        var now = DateTimeOffset.UtcNow;
        var body = $$"""
            {"spans": [
              {"trace_id": "old", "span_id": "o1", "name": "old", "kind": "tool", "start_time": "2020-01-01T00:00:00Z", "end_time": "2020-01-01T00:00:01Z"},
              {"trace_id": "new", "span_id": "n1", "name": "new", "kind": "tool", "start_time": "{{now.AddMinutes(-1):O}}", "end_time": "{{now:O}}"}
            ]}
            """;
        var ingest = await Services.GetRequiredService<Vigil.Core.Ingest.IngestService>().IngestAsync("p1",
            Vigil.Core.Ingest.NativeBatchParser.Parse(System.Text.Encoding.UTF8.GetBytes(body), new Vigil.Core.Ingest.IngestOptions()), Vigil.Core.Ingest.IngestMode.AllOrNothing);
        Assert.Equal(Vigil.Core.Ingest.IngestOutcome.Accepted, ingest.Outcome);

        var cut = RenderSettings();
        Assert.Contains("kept forever", cut.WaitForElement("[data-testid=retention-effective]", Wait).TextContent);
        cut.Find("input[data-testid=retention-days]").Change("30");
        cut.Find("button[data-testid=retention-save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Saved", cut.Find("[data-testid=retention-message]").TextContent), Wait);
        Assert.Equal(30, (await Services.GetRequiredService<RetentionService>().GetAsync("p1"))!.Days);

        cut.Find("button[data-testid=retention-run]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Deleted 1 traces (1 spans)", cut.Find("[data-testid=retention-message]").TextContent), Wait);
        var traces = Services.GetRequiredService<Vigil.Core.Traces.TraceQueryService>();
        Assert.Null(await traces.GetAsync("p1", "old"));
        Assert.NotNull(await traces.GetAsync("p1", "new"));

        // Both changed the project's data: the audit log names them.
        var audit = await Services.GetRequiredService<Vigil.Core.Audit.AuditLog>().ListAsync(0, 10, null);
        Assert.Contains(audit.Items, e => e.Action == "project.retention" && e.ProjectId == "p1" && e.Detail == "days 30, max spans no limit");
        Assert.Contains(audit.Items, e => e.Action == "project.retention_run" && e.Detail == "deleted 1 traces (1 spans)");
    }

    [Fact]
    public async Task Deleting_a_project_asks_for_its_id_then_revokes_its_keys_and_shows_progress()
    {
        var (_, secret) = await Projects.CreateKeyAsync("p1", "doomed");
        var cut = RenderSettings();
        cut.WaitForElement("[data-testid=delete-project]", Wait).Click();
        var confirm = () => cut.Find("button[data-testid=confirm-delete-project]");
        Assert.True(cut.WaitForElement("button[data-testid=confirm-delete-project]", Wait).HasAttribute("disabled"));
        cut.Find("input[data-testid=delete-confirm-id]").Input("p2");
        Assert.True(confirm().HasAttribute("disabled"));
        Assert.NotNull(await Projects.AuthenticateAsync(secret)); // nothing happened yet
        cut.Find("input[data-testid=delete-confirm-id]").Input("p1");
        cut.WaitForAssertion(() => Assert.False(confirm().HasAttribute("disabled")), Wait);
        confirm().Click();

        cut.WaitForAssertion(() => Assert.Contains("Deleting this project", cut.Find("[data-testid=deletion-progress]").TextContent), Wait);
        Assert.Null(await Projects.AuthenticateAsync(secret));
        Assert.NotNull(await Services.GetRequiredService<ProjectDeletionService>().StatusAsync("p1"));
        var audit = await Services.GetRequiredService<Vigil.Core.Audit.AuditLog>().ListAsync(0, 10, "project.delete");
        Assert.Equal("p1", Assert.Single(audit.Items).Target);
    }
}
