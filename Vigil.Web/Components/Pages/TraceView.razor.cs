using Microsoft.AspNetCore.Components;
using Vigil.Core.Traces;
using Vigil.Web.Components.Shared;
using Vigil.Web.Components.Traces;

namespace Vigil.Web.Components.Pages;

/// <summary>One trace: header rollups, the span tree/waterfall and the inspector of the selected span (<c>?span=</c>).</summary>
public partial class TraceView
{
    [Inject] private TraceQueryService Traces { get; set; } = null!;
    [Inject] private ProjectContext Context { get; set; } = null!;
    [Inject] private NavigationManager Nav { get; set; } = null!;
    [Inject] private ILogger<TraceView> Logger { get; set; } = null!;

    [Parameter] public string TraceId { get; set; } = "";
    [SupplyParameterFromQuery(Name = "project")] public string? ProjectParam { get; set; }
    [SupplyParameterFromQuery(Name = "span")] public string? SpanParam { get; set; }

    private string? _loadedKey;
    private TraceDetail? _detail;
    private SpanTree? _tree;
    private SpanRecord? _selected;
    private bool _loading = true;

    protected override async Task OnParametersSetAsync()
    {
        var projectId = await Context.ResolveAsync();
        var key = projectId + "\n" + TraceId;
        if (key != _loadedKey)
        {
            _loadedKey = key;
            await LoadAsync(projectId);
        }
        _selected = SpanParam is null ? null : _tree?.Nodes.FirstOrDefault(n => n.Span.SpanId == SpanParam)?.Span;
    }

    private async Task LoadAsync(string? projectId)
    {
        _loading = true;
        _detail = projectId is null ? null : await Traces.GetAsync(projectId, TraceId);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _tree = _detail is null ? null : SpanTree.Build(_detail.Spans);
        if (_detail is not null)
            Logger.LogDebug("Trace {TraceId}: {SpanCount} spans, tree built in {Ms:0.0} ms", TraceId, _detail.Spans.Count,
                System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        _loading = false;
    }

    private async Task ReloadAsync()
    {
        var projectId = await Context.ResolveAsync();
        await LoadAsync(projectId);
        _selected = _selected is null ? null : _tree?.Nodes.FirstOrDefault(n => n.Span.SpanId == _selected.SpanId)?.Span;
    }

    /// <summary>Selecting a span writes <c>?span=</c> (replacing history), so a link opens the same span.</summary>
    private Task SelectAsync(SpanRecord? span)
    {
        _selected = span;
        Nav.NavigateTo(Nav.GetUriWithQueryParameter("span", span?.SpanId), replace: true);
        return Task.CompletedTask;
    }
}
