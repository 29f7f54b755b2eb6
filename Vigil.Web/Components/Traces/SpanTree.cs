using Vigil.Core.Traces;

namespace Vigil.Web.Components.Traces;

/// <summary>
/// The span tree of one trace, built once from parent ids in O(n). Children are ordered by start time; spans whose
/// parent is missing (not yet ingested, or dropped) become roots so nothing is hidden. <see cref="Flatten"/> produces
/// the visible rows for the virtualized grid.
/// </summary>
public sealed class SpanTree
{
    private readonly SpanNode[] _preorder;

    private SpanTree(SpanNode[] preorder, List<SpanNode> roots, long startUs, long endUs)
    {
        _preorder = preorder;
        Roots = roots;
        StartUs = startUs;
        EndUs = endUs;
    }

    public IReadOnlyList<SpanNode> Roots { get; }

    /// <summary>Every node in display (pre-order) order.</summary>
    public IReadOnlyList<SpanNode> Nodes => _preorder;

    /// <summary>Earliest span start.</summary>
    public long StartUs { get; }

    /// <summary>Latest span end (or start, for running spans): the right edge of the waterfall.</summary>
    public long EndUs { get; }

    public int Count => _preorder.Length;

    public static SpanTree Build(IEnumerable<SpanRecord> spans)
    {
        // Stable order by start time, then by storage id, so siblings and roots read chronologically.
        var ordered = spans.OrderBy(s => s.StartTimeUs).ThenBy(s => s.Id).ToList();
        var byId = new Dictionary<string, SpanNode>(ordered.Count, StringComparer.Ordinal);
        var nodes = new List<SpanNode>(ordered.Count);
        foreach (var s in ordered)
        {
            var node = new SpanNode(s);
            nodes.Add(node);
            byId.TryAdd(s.SpanId, node); // span ids are unique per trace in storage; the first wins otherwise
        }

        var roots = new List<SpanNode>();
        long start = long.MaxValue, end = long.MinValue;
        foreach (var node in nodes)
        {
            var s = node.Span;
            start = Math.Min(start, s.StartTimeUs);
            end = Math.Max(end, s.EndTimeUs ?? s.StartTimeUs);
            if (s.ParentSpanId is { Length: > 0 } pid && pid != s.SpanId && byId.TryGetValue(pid, out var parent))
            {
                node.Parent = parent;
                parent.Children.Add(node); // nodes are visited in start order, so children arrive sorted
            }
            else
            {
                node.IsOrphan = s.ParentSpanId is { Length: > 0 };
                roots.Add(node);
            }
        }

        var preorder = new SpanNode[nodes.Count];
        var next = 0;
        var visited = new HashSet<SpanNode>(ReferenceEqualityComparer.Instance);
        foreach (var root in roots) Walk(root, preorder, ref next, visited);

        // Parent cycles (a → b → a) are unreachable from any root: break them so every span shows.
        if (next < nodes.Count)
        {
            foreach (var node in nodes)
            {
                if (visited.Contains(node)) continue;
                node.Parent?.Children.Remove(node);
                node.Parent = null;
                node.IsOrphan = true;
                roots.Add(node);
                Walk(node, preorder, ref next, visited);
            }
        }

        if (nodes.Count == 0) start = end = 0;
        return new SpanTree(preorder, roots, start, end);
    }

    // Iterative depth-first walk: a 10,000-deep chain must not overflow the stack.
    private static void Walk(SpanNode root, SpanNode[] preorder, ref int next, HashSet<SpanNode> visited)
    {
        var stack = new Stack<(SpanNode Node, int Depth, bool Exit)>();
        stack.Push((root, 0, false));
        while (stack.Count > 0)
        {
            var (node, depth, exit) = stack.Pop();
            if (exit) { node.SubtreeEnd = next; continue; }
            if (!visited.Add(node)) continue;
            node.Depth = depth;
            node.Index = next;
            preorder[next++] = node;
            stack.Push((node, depth, true));
            for (var i = node.Children.Count - 1; i >= 0; i--)
            {
                var child = node.Children[i];
                if (!visited.Contains(child)) stack.Push((child, depth + 1, false));
            }
        }
    }

    /// <summary>
    /// The visible rows: pre-order, skipping the subtrees of collapsed nodes. With a <paramref name="match"/> predicate,
    /// only matching spans and their ancestors are kept. O(n).
    /// </summary>
    public List<SpanRow> Flatten(IReadOnlySet<string> collapsed, Func<SpanRecord, bool>? match = null)
    {
        bool[]? keep = null;
        bool[]? hit = null;
        if (match is not null)
        {
            keep = new bool[_preorder.Length];
            hit = new bool[_preorder.Length];
            foreach (var node in _preorder)
            {
                if (!match(node.Span)) continue;
                hit[node.Index] = true;
                // Climb until an ancestor is already kept: each node is marked at most once, so the whole pass is O(n).
                for (var n = node; n is not null && !keep[n.Index]; n = n.Parent) keep[n.Index] = true;
            }
        }

        var rows = new List<SpanRow>(keep is null ? _preorder.Length : 64);
        var i = 0;
        while (i < _preorder.Length)
        {
            var node = _preorder[i];
            if (keep is not null && !keep[i]) { i++; continue; }
            var isCollapsed = node.HasChildren && collapsed.Contains(node.Span.SpanId);
            rows.Add(new SpanRow(node, isCollapsed, hit is null || hit[i]));
            i = isCollapsed ? node.SubtreeEnd : i + 1;
        }
        return rows;
    }
}
