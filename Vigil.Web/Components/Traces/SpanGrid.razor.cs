using System.Globalization;
using Microsoft.AspNetCore.Components;
using Vigil.Core.Traces;
using Vigil.Web.Components.Shared;

namespace Vigil.Web.Components.Traces;

public partial class SpanGrid
{
    /// <summary>Row height in pixels; must match <c>.vg-row</c> in app.css for <c>Virtualize</c> to place rows right.</summary>
    public const int RowHeight = 30;

    /// <summary>Past this depth rows stop indenting further, so a deep chain stays readable.</summary>
    private const int MaxIndentDepth = 24;

    [Parameter, EditorRequired] public SpanTree Tree { get; set; } = null!;
    [Parameter] public string? SelectedSpanId { get; set; }
    [Parameter] public EventCallback<SpanRecord> OnSelect { get; set; }
    [Parameter] public string BodyHeight { get; set; } = "calc(100vh - 320px)";
    /// <summary>When set, running spans show how long they have been running so far (the page ticks it).</summary>
    [Parameter] public DateTime? Now { get; set; }

    private string RunningText(SpanRecord s)
    {
        if (Now is not { } now) return "running";
        var elapsed = (now - Vigil.Core.Storage.UnixMicros.ToDateTime(s.StartTimeUs)).TotalMilliseconds;
        return elapsed < 0 ? "running" : "running " + Format.Duration(elapsed);
    }

    private readonly HashSet<string> _collapsed = new(StringComparer.Ordinal);
    private SpanTree? _builtFor;
    private List<SpanRow> _rows = [];
    private string? _search;

    private string CountText => _search is null
        ? $"{_rows.Count:N0} of {Tree.Count:N0} spans shown"
        : $"{_rows.Count(r => r.Match):N0} matching of {Tree.Count:N0} spans";

    private IEnumerable<(double Percent, string Label)> Ticks
    {
        get
        {
            var totalMs = (Tree.EndUs - Tree.StartUs) / 1000.0;
            for (var i = 0; i <= 4; i++)
                yield return (i * 25, i == 0 ? "0" : Format.Duration(totalMs * i / 4));
        }
    }

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(_builtFor, Tree)) return;
        // A reload of the same trace (live refresh) keeps what the user collapsed; another trace starts expanded.
        if (TraceIdOf(_builtFor) != TraceIdOf(Tree)) _collapsed.Clear();
        _builtFor = Tree;
        Refresh();
    }

    private static string? TraceIdOf(SpanTree? tree) => tree is { Count: > 0 } ? tree.Nodes[0].Span.TraceId : null;

    private void Refresh() => _rows = Tree.Flatten(_collapsed, SpanSearch.Create(_search));

    private void SearchChanged(string? value)
    {
        _search = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        Refresh();
    }

    private void Toggle(SpanNode node)
    {
        if (!_collapsed.Remove(node.Span.SpanId)) _collapsed.Add(node.Span.SpanId);
        Refresh();
    }

    private void ExpandAll()
    {
        _collapsed.Clear();
        Refresh();
    }

    private void CollapseAll()
    {
        // Keep the roots open: a fully collapsed tree of one root hides everything useful.
        _collapsed.Clear();
        foreach (var node in Tree.Nodes)
            if (node.HasChildren && node.Depth > 0) _collapsed.Add(node.Span.SpanId);
        Refresh();
    }

    private Task SelectAsync(SpanRecord span) => OnSelect.InvokeAsync(span);

    private string RowClass(SpanRow row)
    {
        var c = "vg-row";
        if (row.Node.Span.SpanId == SelectedSpanId) c += " vg-selected";
        if (row.Node.IsError) c += " vg-row-error";
        if (!row.Match) c += " vg-context";
        return c;
    }

    private static string Indent(SpanNode node) => (8 + Math.Min(node.Depth, MaxIndentDepth) * 14).ToString(CultureInfo.InvariantCulture) + "px";

    private static string Pct(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + "%";
}
