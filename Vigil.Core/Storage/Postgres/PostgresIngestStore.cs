using Npgsql;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// Two writer loops: while one waits for its commit (synchronous_commit stays on: 201 means durable), the other writes
/// the next group. More would only contend for 2 cores with the server itself.
/// </summary>
internal sealed class PostgresIngestStore(string connectionString, IngestWriterTimings timings) : IIngestStore, IDisposable
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public int Writers => 2;

    public IIngestWriter OpenWriter(int slot) => new PostgresIngestWriter(_dataSource, timings, slot);

    public void Dispose() => _dataSource.Dispose();
}
