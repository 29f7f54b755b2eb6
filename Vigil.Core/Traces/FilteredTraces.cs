namespace Vigil.Core.Traces;

/// <summary>
/// The project's traces narrowed by a trace list query (<see cref="TraceQueryService"/>). <see cref="Narrowed"/>: to a
/// set of ids from the text index. <see cref="WalkText"/>: the full-text filter still to check a chunk at a time.
/// <see cref="KnownTotal"/>: the total, when the index already knows it (no count query needed).
/// </summary>
internal sealed record FilteredTraces(IQueryable<TraceRecord> Query, bool Filtered, bool Narrowed, string? WalkText, (int Total, bool Exact)? KnownTotal);
