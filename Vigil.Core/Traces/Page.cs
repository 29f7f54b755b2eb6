namespace Vigil.Core.Traces;

/// <summary>
/// One page of a list. <see cref="Total"/> is exact when <see cref="TotalExact"/>; otherwise it is a lower bound: lists
/// stop counting at a cap (see <see cref="TraceQueryService.CountLimit"/>) so a page never costs more than the cap.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit, bool TotalExact = true);
