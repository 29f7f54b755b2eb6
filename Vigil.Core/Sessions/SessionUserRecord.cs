namespace Vigil.Core.Sessions;

/// <summary>
/// How many traces of a session belong to a user: gives a session its user ids, a user its sessions and session count,
/// and filters sessions by user. A row lives while its count is above zero.
/// </summary>
public sealed class SessionUserRecord
{
    public required string ProjectId { get; set; }
    public required string SessionId { get; set; }
    public required string UserId { get; set; }
    public int TraceCount { get; set; }
}
