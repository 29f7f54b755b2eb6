using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Vigil.Core.Traces;
using Vigil.Web.Components.Traces;

namespace Vigil.Web.Tests.Dashboard;

public class ComponentTests : DashboardTestContext
{
    private const string Payload = "<script>window.__xss = 1</script><img src=x onerror=\"alert(1)\">";

    /// <summary>MudBlazor popovers and snackbars need their providers in the tree.</summary>
    private IRenderedComponent<T> RenderWithProviders<T>(Action<ComponentParameterCollectionBuilder<T>> parameters) where T : IComponent
    {
        Render<MudPopoverProvider>();
        return Render(parameters);
    }

    [Fact]
    public void Chat_view_shows_roles_tool_calls_and_results()
    {
        var chat = Conversation.From(
            """{"messages":[{"role":"user","content":"Weather?"},{"role":"assistant","tool_calls":[{"id":"c1","function":{"name":"get_weather","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"sunny"}]}""",
            null);
        var cut = Render<ChatView>(p => p.Add(c => c.Messages, chat.Input));

        var messages = cut.FindAll("[data-testid=chat-message]");
        Assert.Equal(["user", "assistant", "tool"], messages.Select(m => m.GetAttribute("data-role")!).ToArray());
        Assert.Contains("get_weather", cut.Find("[data-testid=tool-call]").TextContent);
        Assert.Contains("sunny", cut.Find("[data-testid=tool-result]").TextContent);
    }

    [Fact]
    public void Inspector_shows_markup_in_content_as_encoded_text()
    {
        var span = Spans.Make("x", null, 0, 10, kind: "llm", name: Payload,
            input: $$"""{"messages":[{"role":"user","content":{{System.Text.Json.JsonSerializer.Serialize(Payload)}}}],"note":{{System.Text.Json.JsonSerializer.Serialize(Payload)}}}""",
            output: $$"""{"content":{{System.Text.Json.JsonSerializer.Serialize(Payload)}}}""",
            metadata: $$"""{"error":{{System.Text.Json.JsonSerializer.Serialize(Payload)}}}""",
            status: "error");
        var cut = RenderWithProviders<SpanInspector>(p => p.Add(c => c.Span, span).Add(c => c.TraceStartUs, span.StartTimeUs));

        Assert.Empty(cut.FindAll("script"));
        Assert.Empty(cut.FindAll("img"));
        Assert.Contains("&lt;script&gt;window.__xss = 1&lt;/script&gt;", cut.Markup);
        Assert.Contains(Payload, cut.Find("[data-testid=chat-message][data-role=user]").TextContent);
        Assert.Contains(Payload, cut.Find("[data-testid=chat-message][data-role=assistant]").TextContent);
        Assert.Contains(Payload, cut.Find("[data-testid=inspector-error]").TextContent);
        Assert.Contains(Payload, cut.Find("[data-testid=inspector-name]").TextContent);
    }

    [Fact]
    public void Inspector_shows_the_error_stack_and_events_from_an_exception_event()
    {
        var events = """[{"name":"retry","timestamp":"2027-01-15T08:00:00.5Z","attributes":{}},{"name":"exception","timestamp":"2027-01-15T08:00:01Z","attributes":{"exception.type":"ValueError","exception.message":"bad input","exception.stacktrace":"Traceback: line 3"}}]""";
        var span = Spans.Make("e", null, 0, 10, status: "error", events: events);
        var cut = RenderWithProviders<SpanInspector>(p => p.Add(c => c.Span, span));

        var error = cut.Find("[data-testid=inspector-error]").TextContent;
        Assert.Contains("ValueError", error);
        Assert.Contains("bad input", error);
        Assert.Contains("Traceback: line 3", error);
        var timeline = cut.Find("[data-testid=inspector-events]").TextContent;
        Assert.Contains("retry", timeline);
        Assert.Contains("exception", timeline);
    }

    [Fact]
    public void Span_grid_collapses_expands_and_marks_errors_and_running_spans()
    {
        var tree = SpanTree.Build(
        [
            Spans.Make("root", null, 0, 100, kind: "agent"),
            Spans.Make("llm", "root", 10, 50, kind: "llm"),
            Spans.Make("tool", "llm", 20, 30, kind: "tool", status: "error"),
            Spans.Make("stream", "root", 60, null, kind: "chain"),
        ]);
        var cut = RenderWithProviders<SpanGrid>(p => p.Add(c => c.Tree, tree));

        Assert.Equal(4, cut.FindAll("[data-testid=span-row]").Count);
        Assert.Single(cut.FindAll("[data-span-id=tool] [data-testid=span-error]"));
        Assert.Contains("running", cut.Find("[data-span-id=stream]").TextContent);
        Assert.Single(cut.FindAll("[data-span-id=stream] .vg-bar-running"));
        Assert.Contains("left:10%;width:40%", cut.Find("[data-span-id=llm] .vg-bar").GetAttribute("style"));

        cut.Find("[data-span-id=llm] [data-testid=span-toggle]").Click();
        Assert.Equal(["root", "llm", "stream"], cut.FindAll("[data-testid=span-row]").Select(r => r.GetAttribute("data-span-id")!).ToArray());
        cut.Find("[data-span-id=llm] [data-testid=span-toggle]").Click();
        Assert.Equal(4, cut.FindAll("[data-testid=span-row]").Count);
    }

    [Fact]
    public void Span_grid_reports_the_selected_span()
    {
        SpanRecord? selected = null;
        var tree = SpanTree.Build([Spans.Make("root", null, 0, 10), Spans.Make("child", "root", 1, 2)]);
        var cut = RenderWithProviders<SpanGrid>(p => p.Add(c => c.Tree, tree).Add(c => c.OnSelect, s => selected = s));
        cut.Find("[data-span-id=child]").Click();
        Assert.Equal("child", selected?.SpanId);
    }
}
