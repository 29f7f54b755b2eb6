namespace Vigil.Sdk.Tracing;

/// <summary>
/// The ambient trace context. The only static state of the SDK: <see cref="AsyncLocal{T}"/>s so the current span (and
/// the current session) follow async calls and each <c>Task.WhenAll</c> branch keeps its own parent.
/// </summary>
public static class VigilContext
{
    private static readonly AsyncLocal<VigilSpan?> Ambient = new();
    private static readonly AsyncLocal<VigilSessionScope?> AmbientSession = new();

    /// <summary>
    /// Every trace started on this async flow until the scope is disposed belongs to <paramref name="sessionId"/> and
    /// <paramref name="userId"/> (a null one is taken from an enclosing scope). An explicit
    /// <c>StartTrace(name, sessionId:, userId:)</c> wins.
    /// </summary>
    public static IDisposable Session(string? sessionId, string? userId = null)
    {
        var outer = AmbientSession.Value;
        var scope = new VigilSessionScope(sessionId ?? outer?.SessionId, userId ?? outer?.UserId, outer);
        AmbientSession.Value = scope;
        return scope;
    }

    /// <summary>The session scope active on this async flow, or null.</summary>
    public static VigilSessionScope? CurrentSession => AmbientSession.Value;

    internal static void EndSession(VigilSessionScope scope)
    {
        // Only the innermost scope restores its outer one; disposing an outer scope first leaves the inner in place.
        if (ReferenceEquals(AmbientSession.Value, scope)) AmbientSession.Value = scope.Outer;
    }

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
