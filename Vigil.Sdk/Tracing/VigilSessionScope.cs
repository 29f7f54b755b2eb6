namespace Vigil.Sdk.Tracing;

/// <summary>An ambient session and end user (<see cref="VigilContext.Session"/>); dispose it to leave it.</summary>
public sealed class VigilSessionScope : IDisposable
{
    internal VigilSessionScope(string? sessionId, string? userId, VigilSessionScope? outer)
    {
        SessionId = sessionId;
        UserId = userId;
        Outer = outer;
    }

    public string? SessionId { get; }
    public string? UserId { get; }
    internal VigilSessionScope? Outer { get; }

    public void Dispose() => VigilContext.EndSession(this);
}
