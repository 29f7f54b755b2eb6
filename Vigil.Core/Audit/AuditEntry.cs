namespace Vigil.Core.Audit;

/// <summary>One admin action: who (account or key), what (action and target), when, from which address.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public long AtUs { get; set; }
    /// <summary>Account id, <c>key:{id}</c> for a project key, <c>admin-key</c>, or <c>setup</c> / <c>reset-link</c>.</summary>
    public required string ActorId { get; set; }
    /// <summary>What the actor was called at the time (an e-mail, a key prefix), kept when the account is gone.</summary>
    public required string ActorName { get; set; }
    /// <summary>See <see cref="AuditActions"/>, e.g. <c>account.delete</c>.</summary>
    public required string Action { get; set; }
    /// <summary>What the action touched: an account's e-mail, a key's prefix, a project id.</summary>
    public string? Target { get; set; }
    public string? ProjectId { get; set; }
    /// <summary>Anything else worth knowing; never a secret.</summary>
    public string? Detail { get; set; }
    public string? Address { get; set; }
}
