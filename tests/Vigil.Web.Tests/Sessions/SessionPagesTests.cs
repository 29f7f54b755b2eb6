using Bunit;
using MudBlazor;
using Vigil.Core.Scores;
using Vigil.Web.Components.Pages;

namespace Vigil.Web.Tests.Sessions;

public class SessionPagesTests : SessionPageContext
{
    private IRenderedComponent<T> RenderPage<T>() where T : Microsoft.AspNetCore.Components.IComponent
    {
        Render<MudPopoverProvider>();
        return Render<T>();
    }

    [Fact]
    public void Sessions_page_lists_sessions_latest_activity_first_with_their_users_and_rollups()
    {
        var cut = RenderPage<Vigil.Web.Components.Pages.Sessions>();

        cut.WaitForAssertion(() => Assert.Equal(["conv-a", "conv-b"], cut.FindAll("[data-testid=session-link]").Select(a => a.TextContent.Trim())), Wait);
        Assert.Contains("2 sessions", cut.Find("[data-testid=session-total]").TextContent);
        var rows = cut.FindAll("[data-testid=session-grid] tbody tr");
        Assert.Contains("alice", rows[0].TextContent);
        Assert.Contains("156", rows[0].TextContent); // 3 turns × 52 tokens
        Assert.Contains("bob", rows[1].TextContent);
        Assert.DoesNotContain("lone", cut.Markup);
    }

    [Theory]
    [InlineData("/sessions?user=alice", "conv-a")]
    [InlineData("/sessions?errors=true", "conv-b")]
    [InlineData("/sessions?errors=false", "conv-a")]
    [InlineData("/sessions?q=V-B", "conv-b")]
    public void Sessions_page_filters_from_the_url(string url, string expected)
    {
        NavigateTo(url);
        var cut = RenderPage<Vigil.Web.Components.Pages.Sessions>();

        cut.WaitForAssertion(() => Assert.Equal([expected], cut.FindAll("[data-testid=session-link]").Select(a => a.TextContent.Trim())), Wait);
        Assert.NotNull(cut.Find("[data-testid=filter-clear]"));
    }

    [Fact]
    public void Sessions_page_sorts_by_tokens_ascending_from_the_url()
    {
        NavigateTo("/sessions?sort=tokens_asc");
        var cut = RenderPage<Vigil.Web.Components.Pages.Sessions>();

        cut.WaitForAssertion(() => Assert.Equal(["conv-b", "conv-a"], cut.FindAll("[data-testid=session-link]").Select(a => a.TextContent.Trim())), Wait);
    }

    [Fact]
    public async Task Session_view_reads_like_the_conversation_and_grows_when_a_turn_arrives()
    {
        var cut = Render<SessionView>(p => p.Add(c => c.SessionId, "conv-a"));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=turn]").Count), Wait);
        Assert.Equal(["a1", "a2", "a3"], cut.FindAll("[data-testid=turn]").Select(t => t.GetAttribute("data-trace")!));
        var users = cut.FindAll("[data-testid=chat-message][data-role=user]").Select(m => m.TextContent).ToList();
        var answers = cut.FindAll("[data-testid=chat-message][data-role=assistant]").Select(m => m.TextContent).ToList();
        Assert.Collection(users, u => Assert.Contains("capital of France", u), u => Assert.Contains("Italy", u), u => Assert.Contains("bigger", u));
        Assert.Collection(answers, a => Assert.Contains("Paris.", a), a => Assert.Contains("Rome.", a), a => Assert.Contains("more people", a));
        Assert.Equal("3", cut.Find("[data-testid=session-turns]").TextContent);
        Assert.Equal("alice", cut.Find("[data-testid=session-user]").TextContent.Trim());
        Assert.EndsWith("/traces/a2", cut.FindAll("[data-testid=turn-trace-link]")[1].GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=turn-error]"));

        await TurnAsync("a4", "conv-a", "alice", 180, "Thanks!", "You're welcome.");

        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=turn]").Count), Wait);
        Assert.Contains("welcome", cut.FindAll("[data-testid=chat-message][data-role=assistant]")[3].TextContent);
        Assert.Equal("4", cut.Find("[data-testid=session-turns]").TextContent);
    }

    [Fact]
    public async Task Session_view_marks_the_failed_turn_and_shows_scores_of_its_traces()
    {
        var (score, errors) = await Get<ScoreService>().AddAsync("p1", new ScoreInput { TraceId = "b1", Name = "helpfulness", Value = 0.25 }, ScoreSource.Api);
        Assert.Empty(errors);
        var cut = Render<SessionView>(p => p.Add(c => c.SessionId, "conv-b"));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=turn]").Count), Wait);
        var turns = cut.FindAll("[data-testid=turn]");
        Assert.Empty(turns[0].QuerySelectorAll("[data-testid=turn-error]"));
        Assert.Contains("upstream timeout", turns[1].QuerySelector("[data-testid=turn-error]")!.TextContent);
        Assert.Contains("helpfulness", turns[0].QuerySelector("[data-testid=score-chip]")!.TextContent);
        Assert.Contains("0.25", turns[0].QuerySelector("[data-testid=score-chip]")!.TextContent);
        Assert.NotNull(score);
    }

    [Fact]
    public void Session_view_of_an_unknown_or_foreign_session_says_so()
    {
        var cut = Render<SessionView>(p => p.Add(c => c.SessionId, "nope"));

        cut.WaitForAssertion(() => cut.Find("[data-testid=session-not-found]"), Wait);
    }

    [Fact]
    public void Users_page_lists_end_users_with_sessions_and_error_rate()
    {
        var cut = RenderPage<Vigil.Web.Components.Pages.Users>();

        cut.WaitForAssertion(() => Assert.Equal(["alice", "bob"], cut.FindAll("[data-testid=user-link]").Select(a => a.TextContent.Trim())), Wait);
        var rows = cut.FindAll("[data-testid=user-grid] tbody tr");
        Assert.Contains("0 %", rows[0].TextContent);
        Assert.DoesNotContain("50 %", rows[0].TextContent);
        Assert.Contains("50 %", rows[1].TextContent);
    }

    [Fact]
    public void Users_page_filters_by_errors_from_the_url()
    {
        NavigateTo("/users?errors=true");
        var cut = RenderPage<Vigil.Web.Components.Pages.Users>();

        cut.WaitForAssertion(() => Assert.Equal(["bob"], cut.FindAll("[data-testid=user-link]").Select(a => a.TextContent.Trim())), Wait);
    }

    [Fact]
    public void User_view_shows_rollups_cost_chart_and_sessions()
    {
        Render<MudPopoverProvider>();
        var cut = Render<UserView>(p => p.Add(c => c.UserId, "alice"));

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=user-sessions]").TextContent), Wait);
        Assert.Equal("conv-a", cut.Find("[data-testid=user-session] a").TextContent.Trim());
        Assert.NotNull(cut.Find("[data-testid=user-cost-chart] svg"));
        Assert.EndsWith("/traces?user=alice", cut.Find("[data-testid=user-traces]").GetAttribute("href"));
    }

    [Fact]
    public void User_view_of_an_unknown_user_says_so()
    {
        var cut = Render<UserView>(p => p.Add(c => c.UserId, "mallory"));

        cut.WaitForAssertion(() => cut.Find("[data-testid=user-not-found]"), Wait);
    }
}
