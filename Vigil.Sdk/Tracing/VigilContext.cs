namespace Vigil.Sdk.Tracing;

/// <summary>
/// The ambient trace context. The only static state of the SDK: an <see cref="AsyncLocal{T}"/> so the
/// current span follows async calls and each <c>Task.WhenAll</c> branch keeps its own parent.
/// </summary>
public static class VigilContext
{
    private static readonly AsyncLocal<VigilSpan?> Ambient = new();

    /// <summary>The innermost span that is active on this async flow, or null.</summary>
    public static VigilSpan? CurrentSpan => Ambient.Value;

    /// <summary>The trace of <see cref="CurrentSpan"/>, or null.</summary>
    public static VigilTrace? CurrentTrace => Ambient.Value?.Trace;

    /// <summary>Adds an event to the current span; does nothing outside a span.</summary>
    public static void LogEvent(string name, IReadOnlyDictionary<string, object?>? attributes = null)
        => Ambient.Value?.AddEvent(name, attributes);

    /// <summary>Attaches a metadata entry to the current span; does nothing outside a span.</summary>
    public static void AttachMetadata(string key, object? value) => Ambient.Value?.SetMetadata(key, value);

    internal static void Set(VigilSpan? span) => Ambient.Value = span;
}
