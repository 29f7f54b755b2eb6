using Vigil.Core.Traces;

namespace Vigil.Web.Components.Traces;

/// <summary>One span in a <see cref="SpanTree"/>: its place in the tree and its pre-order position.</summary>
public sealed class SpanNode(SpanRecord span)
{
    public SpanRecord Span { get; } = span;
    public SpanNode? Parent { get; internal set; }
    public List<SpanNode> Children { get; } = [];
    public int Depth { get; internal set; }

    /// <summary>True when the span names a parent that is not in the trace (shown as a root).</summary>
    public bool IsOrphan { get; internal set; }

    /// <summary>Position in the tree's pre-order list.</summary>
    public int Index { get; internal set; }

    /// <summary>Pre-order index just past this node's subtree: collapsing skips from Index to SubtreeEnd.</summary>
    public int SubtreeEnd { get; internal set; }

    public bool HasChildren => Children.Count > 0;
    public bool IsError => Span.Status == SpanStatus.Error;
    public bool IsRunning => Span.EndTimeUs is null;
}
