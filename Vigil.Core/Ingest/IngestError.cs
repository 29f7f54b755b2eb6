namespace Vigil.Core.Ingest;

/// <summary>A problem with one field of one span (<paramref name="SpanIndex"/> null for batch-level fields).</summary>
public sealed record IngestError(int? SpanIndex, string Field, string Message)
{
    /// <summary>The key used in problem details, e.g. <c>spans[3].kind</c>.</summary>
    public string Path => SpanIndex is { } i ? $"spans[{i}].{Field}" : Field;
}
