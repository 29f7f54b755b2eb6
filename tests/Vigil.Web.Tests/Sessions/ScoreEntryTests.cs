using Bunit;
using MudBlazor;
using Vigil.Core.Scores;
using Vigil.Core.Traces;
using Vigil.Web.Components.Pages;
using MetricsPage = Vigil.Web.Components.Pages.Metrics;
using Vigil.Web.Components.Traces;

namespace Vigil.Web.Tests.Sessions;

/// <summary>Scores in the dashboard: added from the trace header and the span inspector, shown with the others, charted on Metrics.</summary>
public class ScoreEntryTests : SessionPageContext
{
    [Fact]
    public async Task Trace_header_links_session_and_user_and_a_thumbs_up_is_stored_as_an_annotation_and_shown()
    {
        await Get<ScoreService>().AddAsync("p1", new ScoreInput { TraceId = "a1", Name = "relevance", Value = "on-topic" }, ScoreSource.Api);
        Render<MudPopoverProvider>();
        var cut = Render<TraceView>(p => p.Add(c => c.TraceId, "a1"));
        cut.WaitForAssertion(() => cut.Find("[data-testid=trace-scores]"), Wait);
        Assert.EndsWith("/sessions/conv-a", cut.Find("[data-testid=trace-session]").GetAttribute("href"));
        Assert.EndsWith("/users/alice", cut.Find("[data-testid=trace-user]").GetAttribute("href"));
        Assert.Contains("on-topic", cut.Find("[data-testid=trace-scores] [data-testid=score-item]").TextContent);

        await cut.Find("[data-testid=score-add-open]").ClickAsync(new());
        await cut.Find("button[data-testid=score-up]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=trace-scores] [data-testid=score-item]").Count), Wait);
        var stored = (await Task.Run(() => Get<ScoreService>().ForTraceAsync("p1", "a1"))).Single(s => s.Name == "user_feedback");
        Assert.Equal((ScoreSource.Annotation, 1.0, "admin@test.local", (string?)null), (stored.Source, stored.Value, stored.Author, stored.SpanId));
    }

    [Fact]
    public async Task Span_inspector_adds_a_number_with_a_comment_to_its_span_and_refuses_a_non_number()
    {
        var span = (await Task.Run(() => Get<TraceQueryService>().GetAsync("p1", "a2")))!.Spans.Single(s => s.Kind == SpanKind.Llm);
        var changed = 0;
        Render<MudPopoverProvider>();
        var cut = Render<SpanInspector>(p => p.Add(c => c.Span, span).Add(c => c.ProjectId, "p1").Add(c => c.OnScoresChanged, () => changed++));

        await cut.Find("[data-testid=score-add-open]").ClickAsync(new());
        cut.Find("input[data-testid=score-number], [data-testid=score-number] input").Input("high");
        await cut.Find("[data-testid=score-save]").ClickAsync(new());
        Assert.Contains("not a number", cut.Find("[data-testid=score-error]").TextContent);

        cut.Find("input[data-testid=score-name], [data-testid=score-name] input").Input("accuracy");
        cut.Find("input[data-testid=score-number], [data-testid=score-number] input").Input("0.75");
        cut.Find("input[data-testid=score-comment], [data-testid=score-comment] input").Input("close enough");
        await cut.Find("[data-testid=score-save]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal(1, changed), Wait);
        var stored = Assert.Single(await Task.Run(() => Get<ScoreService>().ForTraceAsync("p1", "a2")));
        Assert.Equal(("accuracy", 0.75, "close enough", span.SpanId), (stored.Name, stored.Value, stored.Comment, stored.SpanId));
    }

    [Fact]
    public async Task Metrics_page_charts_average_scores_per_name()
    {
        await Get<ScoreService>().AddAsync("p1", new ScoreInput { TraceId = "a1", Name = "helpfulness", Value = 0.5 }, ScoreSource.Api);
        await Get<ScoreService>().AddAsync("p1", new ScoreInput { TraceId = "a2", Name = "helpfulness", Value = 1.0 }, ScoreSource.Api);
        Render<MudPopoverProvider>();
        var cut = Render<MetricsPage>();

        cut.WaitForAssertion(() => Assert.Contains("helpfulness", cut.Find("[data-testid=metrics-scores] svg").OuterHtml), Wait);
    }

    [Fact]
    public void Metrics_page_has_no_score_chart_without_scores()
    {
        Render<MudPopoverProvider>();
        var cut = Render<MetricsPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=metrics-latency] svg"), Wait);
        Assert.Empty(cut.FindAll("[data-testid=metrics-scores]"));
    }
}
