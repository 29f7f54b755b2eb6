namespace Vigil.Web.Audit;

/// <summary>
/// The client address of a dashboard circuit (taken from the page request by <c>App.razor</c>, so the forwarded one behind
/// a trusted proxy), for the audit log: a circuit has no HttpContext of its own.
/// </summary>
public sealed class CircuitClient
{
    public string? Address { get; set; }
}
