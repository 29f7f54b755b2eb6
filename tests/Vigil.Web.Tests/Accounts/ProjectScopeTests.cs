using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Accounts;
using Vigil.Core.Ingest;
using Vigil.Core.Projects;
using Vigil.Web.Components.Pages;
using Vigil.Web.Components.Shared;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Accounts;

/// <summary>The dashboard shows a member their projects only, whatever <c>?project=</c> says.</summary>
public class ProjectScopeTests : VigilComponentTest
{
    // Generous: a loaded 2-core machine can be slow to answer SQLite; the assertions themselves are about behaviour.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private const string MemberId = "member-1";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Services.GetRequiredService<ProjectService>().CreateAsync("p2", "Project two", null);
        await using (var db = await Services.GetRequiredService<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync())
        {
            db.Users.Add(new AppUser { Id = MemberId, UserName = "member@test.local", Email = "member@test.local" });
            await db.SaveChangesAsync();
        }
        await Services.GetRequiredService<MembershipService>().AddAsync("p1", MemberId);
        await IngestAsync("p1", "visible-in-p1");
        await IngestAsync("p2", "secret-of-p2");
        SignInAsMember(MemberId);
    }

    private async Task IngestAsync(string projectId, string traceName)
    {
        var json = $$"""{"trace_name":"{{traceName}}","spans":[{"span_id":"s1","trace_id":"{{traceName}}","name":"{{traceName}}","kind":"llm"}]}""";
        var batch = NativeBatchParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), new IngestOptions());
        var result = await Services.GetRequiredService<IngestService>().IngestAsync(projectId, batch, IngestMode.AllOrNothing);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void A_member_sees_their_own_project()
    {
        var cut = Render<Home>();
        cut.WaitForAssertion(() => Assert.Contains("visible-in-p1", cut.Markup), Wait);
        Assert.DoesNotContain("secret-of-p2", cut.Markup);
    }

    [Fact]
    public void Another_projects_id_in_the_url_shows_no_data_of_it()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/?project=p2");
        var cut = Render<Home>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=project-denied]"), Wait);
        Assert.DoesNotContain("secret-of-p2", cut.Markup);
        Assert.DoesNotContain("visible-in-p1", cut.Markup);
    }

    [Fact]
    public async Task The_project_list_holds_the_members_projects_only_and_switching_to_another_is_refused()
    {
        var context = Services.GetRequiredService<ProjectContext>();
        Assert.Equal(["p1"], (await context.ListAsync()).Select(p => p.Id));
        var nav = Services.GetRequiredService<NavigationManager>();
        var before = nav.Uri;
        await context.SwitchAsync("p2");
        Assert.Equal(before, nav.Uri);
    }
}
