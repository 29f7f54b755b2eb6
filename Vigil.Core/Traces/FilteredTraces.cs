namespace Vigil.Core.Traces;

/// <summary>
/// The project's traces narrowed by a trace list query (<see cref="TraceQueryService"/>). <see cref="Narrowed"/>: to a
/// set of ids from the text index. <see cref="WalkText"/>: the full-text filter still to check a chunk at a time.
/// <see cref="OverCountLimit"/>: the only filter is a name or model substring that the index found in more than
/// <see cref="TraceQueryService.CountLimit"/> traces, so the capped total is known without counting.
/// </summary>
internal sealed record FilteredTraces(IQueryable<TraceRecord> Query, bool Filtered, bool Narrowed, string? WalkText, bool OverCountLimit);
