namespace Vigil.Core.Traces;

public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit);
