using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>Sets the per-connection SQLite pragmas and functions (<see cref="SqliteTextFunctions"/>) every time EF opens a connection.</summary>
internal sealed class SqliteConnectionInterceptor(int busyTimeoutMs) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        SqliteTextFunctions.Register((SqliteConnection)connection);
        using var cmd = connection.CreateCommand();
        // journal_mode=WAL is persistent in the file; the others are per connection. The busy timeout first, so that
        // switching a file to WAL waits for another process's lock too.
        cmd.CommandText = $"PRAGMA busy_timeout={busyTimeoutMs}; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
        cmd.ExecuteNonQuery();
    }
}
