using Npgsql;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// One statement: lock the oldest confirmed run that no other instance is claiming right now (SKIP LOCKED: never wait
/// for a row another instance holds, never take it twice) and move it to running under this instance's lease.
/// </summary>
internal sealed class PostgresReplayClaims(string connectionString) : IReplayClaims, IDisposable
{
    private const string Sql = """
        UPDATE replay_runs
        SET status = 'running', lease_owner = $1, lease_expires_at_us = $2, attempts = attempts + 1,
            started_at_us = $3, updated_at_us = $3
        WHERE id = (
            SELECT id FROM replay_runs WHERE status = 'confirmed'
            ORDER BY created_at_us, id LIMIT 1
            FOR UPDATE SKIP LOCKED)
        RETURNING id
        """;

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public async Task<string?> ClaimNextAsync(string owner, long nowUs, long leaseUntilUs, CancellationToken ct)
    {
        await using var cmd = _dataSource.CreateCommand(Sql);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = leaseUntilUs });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = nowUs });
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    public void Dispose() => _dataSource.Dispose();
}
