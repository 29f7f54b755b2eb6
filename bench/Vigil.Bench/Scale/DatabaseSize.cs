using System.Globalization;
using Npgsql;

namespace Vigil.Bench.Scale;

/// <summary>The size of the server's database: a SQLite file with its WAL, or a PostgreSQL database (pg_database_size).</summary>
public sealed class DatabaseSize(string sqlitePath, string postgres)
{
    public long? Bytes()
    {
        if (sqlitePath.Length > 0)
            return new[] { "", "-wal" }.Select(s => new FileInfo(sqlitePath + s)).Where(f => f.Exists).Sum(f => f.Length);
        if (postgres.Length == 0) return null;
        using var c = new NpgsqlConnection(postgres);
        c.Open();
        using var cmd = new NpgsqlCommand("SELECT pg_database_size(current_database())", c);
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>The main file alone (SQLite), which is what vacuuming shrinks.</summary>
    public long? MainFileBytes() => sqlitePath.Length > 0 && File.Exists(sqlitePath) ? new FileInfo(sqlitePath).Length : Bytes();

    public string Describe() => Bytes() is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / 1e9:0.00} GB") : "?";
}
