namespace Vigil.Core.Storage;

/// <summary>
/// The replay queue is the <c>replay_runs</c> table: a confirmed run waits there until one instance claims it. Claiming
/// is what differs per provider (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so instances polling at once never wait for
/// nor take the same run; SQLite: one instance, a conditional update under the write gate).
/// </summary>
public interface IReplayClaims
{
    /// <summary>
    /// Moves the oldest confirmed run to running for <paramref name="owner"/> with a lease until
    /// <paramref name="leaseUntilUs"/> (one more attempt) and answers its id; null when no run waits.
    /// </summary>
    Task<string?> ClaimNextAsync(string owner, long nowUs, long leaseUntilUs, CancellationToken ct);
}
