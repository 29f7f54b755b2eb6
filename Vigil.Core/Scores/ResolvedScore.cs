using Vigil.Core.Storage;

namespace Vigil.Core.Scores;

/// <summary>
/// A numeric (or boolean, as 1/0) score with the span it judges: its own span, or the trace's root span for a
/// trace-level score. Resolved when read (a score may have arrived before its trace), in provider-neutral LINQ: one
/// index seek on traces and a few on the trace's spans per score.
/// </summary>
internal sealed class ResolvedScore
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public double Value { get; init; }
    public long CreatedAtUs { get; init; }
    public string? Kind { get; init; }
    public string? SpanName { get; init; }
    public string? Model { get; init; }

    /// <summary>The numeric scores of <paramref name="scores"/> whose trace is stored, with their span's kind, name and model.</summary>
    public static IQueryable<ResolvedScore> Of(VigilDbContext db, IQueryable<ScoreRecord> scores) =>
        from s in scores.Where(s => s.Value != null)
        join t in db.Traces on new { s.ProjectId, s.TraceId } equals new { t.ProjectId, t.TraceId }
        select new ResolvedScore
        {
            Id = s.Id,
            Name = s.Name,
            Value = s.Value!.Value,
            CreatedAtUs = s.CreatedAtUs,
            // Three scalar subqueries (EF cannot project a row of a correlated subquery on SQLite), each an index seek.
            Kind = db.Spans.Where(sp => sp.TracePk == t.Id && (sp.SpanId == s.SpanId || (s.SpanId == null && sp.ParentSpanId == null)))
                .OrderBy(sp => sp.StartTimeUs).ThenBy(sp => sp.Id).Select(sp => sp.Kind).FirstOrDefault(),
            SpanName = db.Spans.Where(sp => sp.TracePk == t.Id && (sp.SpanId == s.SpanId || (s.SpanId == null && sp.ParentSpanId == null)))
                .OrderBy(sp => sp.StartTimeUs).ThenBy(sp => sp.Id).Select(sp => sp.Name).FirstOrDefault(),
            Model = db.Spans.Where(sp => sp.TracePk == t.Id && (sp.SpanId == s.SpanId || (s.SpanId == null && sp.ParentSpanId == null)))
                .OrderBy(sp => sp.StartTimeUs).ThenBy(sp => sp.Id).Select(sp => sp.Model).FirstOrDefault(),
        };
}
