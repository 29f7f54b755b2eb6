using Vigil.Core.Traces;
using Vigil.Web.Components.Traces;

namespace Vigil.Web.Tests.Dashboard;

public class SpanTreeTests
{
    private static readonly HashSet<string> None = [];

    // root ─┬─ a (starts 10) ── a1
    //       └─ b (starts 5)
    // orphan (parent "gone") ; late root r2
    private static List<SpanRecord> Sample() =>
    [
        Spans.Make("a1", "a", 12, 14),
        Spans.Make("root", null, 0, 100),
        Spans.Make("a", "root", 10, 20),
        Spans.Make("orphan", "gone", 30, 40),
        Spans.Make("b", "root", 5, 8),
        Spans.Make("r2", null, 50, null),
    ];

    private static string[] Ids(IEnumerable<SpanRow> rows) => rows.Select(r => r.Node.Span.SpanId).ToArray();

    [Fact]
    public void Flattens_depth_first_with_children_and_roots_in_start_order()
    {
        var tree = SpanTree.Build(Sample());
        var rows = tree.Flatten(None);
        Assert.Equal(["root", "b", "a", "a1", "orphan", "r2"], Ids(rows));
        Assert.Equal([0, 1, 1, 2, 0, 0], rows.Select(r => r.Node.Depth).ToArray());
        Assert.All(rows, r => Assert.True(r.Match));
    }

    [Fact]
    public void A_span_whose_parent_is_missing_becomes_a_marked_root()
    {
        var tree = SpanTree.Build(Sample());
        var orphan = tree.Nodes.Single(n => n.Span.SpanId == "orphan");
        Assert.True(orphan.IsOrphan);
        Assert.Null(orphan.Parent);
        Assert.False(tree.Nodes.Single(n => n.Span.SpanId == "root").IsOrphan);
        Assert.Equal(3, tree.Roots.Count);
    }

    [Fact]
    public void Trace_bounds_cover_every_start_and_end()
    {
        var tree = SpanTree.Build(Sample());
        Assert.Equal(Spans.OriginUs, tree.StartUs);
        Assert.Equal(Spans.OriginUs + 100_000, tree.EndUs);
        Assert.True(tree.Nodes.Single(n => n.Span.SpanId == "r2").IsRunning);
    }

    [Fact]
    public void Collapsing_hides_the_subtree_only()
    {
        var tree = SpanTree.Build(Sample());
        var rows = tree.Flatten(new HashSet<string> { "a" });
        Assert.Equal(["root", "b", "a", "orphan", "r2"], Ids(rows));
        Assert.True(rows.Single(r => r.Node.Span.SpanId == "a").Collapsed);

        rows = tree.Flatten(new HashSet<string> { "root" });
        Assert.Equal(["root", "orphan", "r2"], Ids(rows));
    }

    [Fact]
    public void Collapsing_a_leaf_changes_nothing()
    {
        var tree = SpanTree.Build(Sample());
        var rows = tree.Flatten(new HashSet<string> { "a1", "b" });
        Assert.Equal(6, rows.Count);
        Assert.DoesNotContain(rows, r => r.Collapsed);
    }

    [Fact]
    public void Search_keeps_matches_and_their_ancestors()
    {
        var tree = SpanTree.Build(Sample());
        var rows = tree.Flatten(None, SpanSearch.Create("A1"));
        Assert.Equal(["root", "a", "a1"], Ids(rows));
        Assert.Equal([false, false, true], rows.Select(r => r.Match).ToArray());
    }

    [Fact]
    public void Search_looks_into_inputs_and_outputs()
    {
        var spans = new List<SpanRecord>
        {
            Spans.Make("root", null, 0, 10),
            Spans.Make("llm", "root", 1, 5, kind: "llm", input: """{"messages":[{"role":"user","content":"Where is Paris?"}]}"""),
            Spans.Make("other", "root", 6, 9),
        };
        var rows = SpanTree.Build(spans).Flatten(None, SpanSearch.Create("paris"));
        Assert.Equal(["root", "llm"], Ids(rows));
    }

    [Fact]
    public void Parent_cycles_do_not_hide_spans()
    {
        var spans = new List<SpanRecord> { Spans.Make("x", "y", 0, 1), Spans.Make("y", "x", 1, 2), Spans.Make("self", "self", 2, 3) };
        var tree = SpanTree.Build(spans);
        Assert.Equal(3, tree.Flatten(None).Count);
        Assert.Equal(3, tree.Nodes.Distinct().Count());
    }

    [Fact]
    public void Ten_thousand_spans_deep_or_wide_build_and_flatten()
    {
        // A 10,000-deep chain would overflow a recursive walk; a wide tree exercises sibling ordering.
        var chain = Enumerable.Range(0, 10_000).Select(i => Spans.Make($"c{i}", i == 0 ? null : $"c{i - 1}", i, i + 1)).ToList();
        var wide = Enumerable.Range(0, 10_000).Select(i => Spans.Make($"w{i}", i == 0 ? null : $"w{(i - 1) / 10}", 10_000 - i, 10_001)).ToList();
        var deep = SpanTree.Build(chain);
        var deepRows = deep.Flatten(None);
        var broad = SpanTree.Build(wide);
        var broadRows = broad.Flatten(None, SpanSearch.Create("w9999"));
        Assert.Equal(10_000, deepRows.Count);
        Assert.Equal(9_999, deepRows[^1].Node.Depth);
        Assert.Equal("w9999", broadRows[^1].Node.Span.SpanId);
        Assert.Equal(broadRows[^1].Node.Depth + 1, broadRows.Count); // the match and its ancestors only
    }
}
