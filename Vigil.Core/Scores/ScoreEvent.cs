using Vigil.Core.Live;

namespace Vigil.Core.Scores;

/// <summary>A score was added (<c>score</c>) or deleted (then <see cref="ScoreSummary.Deleted"/>).</summary>
public sealed record ScoreEvent(string ProjectId, ScoreSummary Score) : LiveEvent(ProjectId)
{
    public override string Type => "score";
    public override object Payload => Score;
}

/// <summary>What the live feed carries for a score.</summary>
public sealed record ScoreSummary(long Id, string TraceId, string? SpanId, string Name, object? Value, string Source, bool Deleted = false)
{
    public static ScoreSummary From(ScoreRecord s, bool deleted = false) => new(s.Id, s.TraceId, s.SpanId, s.Name, ScoreValue.Of(s), s.Source, deleted);
}
