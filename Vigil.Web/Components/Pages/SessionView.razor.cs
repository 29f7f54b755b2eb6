using Microsoft.AspNetCore.Components;
using Vigil.Core.Live;
using Vigil.Core.Scores;
using Vigil.Core.Sessions;
using Vigil.Web.Components.Live;
using Vigil.Web.Components.Sessions;
using Vigil.Web.Components.Shared;

namespace Vigil.Web.Components.Pages;

/// <summary>
/// One session read like the conversation: each turn's user message and assistant answer in order, with its time, latency,
/// tokens, cost, errors and scores, and a link to its trace. A new turn (or a score) appears live, throttled.
/// </summary>
public partial class SessionView : IDisposable
{
    public const int MaxTurns = 200;

    [Inject] private SessionQueryService Sessions { get; set; } = null!;
    [Inject] private ScoreService Scores { get; set; } = null!;
    [Inject] private ProjectContext Context { get; set; } = null!;
    [Inject] private LiveFeed Feed { get; set; } = null!;
    [Inject] private ILogger<SessionView> Logger { get; set; } = null!;

    [Parameter] public string SessionId { get; set; } = "";
    [SupplyParameterFromQuery(Name = "project")] public string? ProjectParam { get; set; }

    private string? _loadedKey;
    private string? _projectId;
    private SessionDetail? _session;
    private List<ConversationTurn> _turns = [];
    private HashSet<string> _traceIds = new(StringComparer.Ordinal);
    private Dictionary<string, List<ScoreRecord>> _scores = [];
    private bool _loading = true;
    private LiveFollower? _follower;

    protected override async Task OnParametersSetAsync()
    {
        var projectId = await Context.ResolveAsync();
        var key = projectId + "\n" + SessionId;
        if (key == _loadedKey) return;
        _loadedKey = key;
        _projectId = projectId;
        await LoadAsync();
        if (RendererInfo.IsInteractive) Follow();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        if (_projectId is null) { _session = null; _loading = false; return; }
        _session = await Sessions.GetAsync(_projectId, SessionId, limit: 1);
        var turns = _session is null ? [] : await Sessions.TurnsAsync(_projectId, SessionId, MaxTurns);
        _turns = turns.Select((t, i) => ConversationTurn.From(i + 1, t)).ToList();
        _traceIds = turns.Select(t => t.Trace.TraceId).ToHashSet(StringComparer.Ordinal);
        _scores = await Scores.ForTracesAsync(_projectId, _traceIds);
        _loading = false;
    }

    /// <summary>A turn of this session changed or arrived, or one of its traces got a score: reload, at most four times a second.</summary>
    private void Follow()
    {
        _follower?.Dispose();
        _follower = null;
        if (_projectId is null) return;
        _follower = new LiveFollower(Feed, _projectId, capacity: 256,
            e => e is TraceEvent t && t.Trace.SessionId == SessionId || e is ScoreEvent s && _traceIds.Contains(s.Score.TraceId),
            TimeSpan.FromMilliseconds(250), () => InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }), Logger);
    }

    private IReadOnlyList<ScoreRecord> ScoresOf(string traceId) => _scores.GetValueOrDefault(traceId) ?? [];

    public void Dispose() => _follower?.Dispose();
}
