using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Vigil.Core.Replay.Diff;
using Vigil.Web.Components.Replay;

namespace Vigil.Web.Tests.Replay;

public class DiffTextTests : BunitContext
{
    public DiffTextTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    private static List<DiffSegment> Words(string before, string after) => TextDiff.Words(before, after);

    [Fact]
    public void Inline_mode_marks_insertions_and_deletions_and_keeps_unchanged_runs()
    {
        var cut = Render<DiffText>(p => p.Add(x => x.Segments, Words("The quick brown fox", "The slow brown fox")));
        Assert.Contains("quick", cut.Find(".diff-delete").TextContent);
        Assert.Contains("slow", cut.Find(".diff-insert").TextContent);
        Assert.Contains(cut.FindAll(".diff-equal"), e => e.TextContent.Contains("brown fox"));
        Assert.Equal("The quickslow brown fox".Replace(" ", ""), cut.Find(".vigil-diff").TextContent.Replace(" ", "").Trim());
    }

    [Fact]
    public void Old_and_new_sides_show_only_their_own_words()
    {
        var segments = Words("keep this and drop that", "keep this and add more");
        var old = Render<DiffText>(p => p.Add(x => x.Segments, segments).Add(x => x.Mode, DiffText.DiffMode.Old));
        var @new = Render<DiffText>(p => p.Add(x => x.Segments, segments).Add(x => x.Mode, DiffText.DiffMode.New));
        Assert.Empty(old.FindAll(".diff-insert"));
        Assert.Empty(@new.FindAll(".diff-delete"));
        Assert.Equal("keep this and drop that", old.Find(".vigil-diff").TextContent.Trim());
        Assert.Equal("keep this and add more", @new.Find(".vigil-diff").TextContent.Trim());
    }

    [Fact]
    public void Only_insertions_or_only_deletions_render()
    {
        Assert.Equal("All new", Render<DiffText>(p => p.Add(x => x.Segments, Words("", "All new"))).Find(".diff-insert").TextContent);
        Assert.Equal("All gone", Render<DiffText>(p => p.Add(x => x.Segments, Words("All gone", ""))).Find(".diff-delete").TextContent);
        Assert.Empty(Render<DiffText>(p => p.Add(x => x.Segments, Words("", ""))).FindAll("span"));
    }

    [Fact]
    public void Long_unchanged_runs_are_shortened_until_expanded()
    {
        var filler = string.Join(" ", Enumerable.Range(0, 1000).Select(i => $"word{i}"));
        var cut = Render<DiffText>(p => p.Add(x => x.Segments, Words(filler + " old ending", filler + " new ending")));
        Assert.Contains("unchanged characters", cut.Markup);
        Assert.DoesNotContain("word500 ", cut.Markup);
        Assert.Contains("old", cut.Find(".diff-delete").TextContent);

        cut.Find("[data-testid=diff-expand]").Click();
        Assert.DoesNotContain("unchanged characters", cut.Markup);
        Assert.Contains("word500 ", cut.Markup);
    }

    [Fact]
    public void Model_output_that_looks_like_markup_is_rendered_as_text()
    {
        var cut = Render<DiffText>(p => p.Add(x => x.Segments, new List<DiffSegment> { new("insert", "<img src=x onerror=alert(1)>") }));
        Assert.Empty(cut.FindAll("img"));
        Assert.Equal("<img src=x onerror=alert(1)>", cut.Find(".diff-insert").TextContent);
    }
}
