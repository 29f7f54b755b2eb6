namespace Vigil.Core.Audit;

/// <summary>Who did something, and from which client address.</summary>
public sealed record AuditActor(string Id, string Name, string? Address);
