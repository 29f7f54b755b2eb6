using Vigil.Core.Scores;

namespace Vigil.Core.Traces;

/// <summary>A trace with its spans and the scores of it and its spans (oldest first).</summary>
public sealed record TraceDetail(TraceRecord Trace, IReadOnlyList<SpanRecord> Spans, IReadOnlyList<ScoreRecord> Scores);
