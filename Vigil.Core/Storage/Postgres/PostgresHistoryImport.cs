using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Vigil.Core.Storage.Import;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// Copies a whole Vigil database (any provider, read through EF Core) into an empty PostgreSQL one: every table of the
/// model in foreign-key order, row ids kept (spans point at their trace's id), with binary COPY, streamed row by row so
/// memory stays flat whatever the size, all in ONE transaction: a failed import leaves the target as it was.
/// </summary>
public static class PostgresHistoryImport
{
    /// <param name="keyRing">Data Protection key files of the source (its <c>keys/</c> folder), so stored provider keys still decrypt.</param>
    public static async Task<List<ImportedTable>> RunAsync(VigilDbContext source, string targetConnectionString, IEnumerable<FileInfo> keyRing,
        ILogger logger, CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<PostgresVigilDbContext>();
        PostgresStorage.Configure(options, targetConnectionString);
        await using var target = new PostgresVigilDbContext(options.Options);
        await target.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>().CreateIfNotExistsAsync(ct);
        await target.Database.MigrateAsync(ct);

        await using var connection = new NpgsqlConnection(targetConnectionString);
        await connection.OpenAsync(ct);
        if (await ScalarAsync<bool>(connection, "SELECT EXISTS (SELECT 1 FROM traces)", ct))
            throw new ImportRefusedException("The target database already holds traces; import only into a new, empty Vigil database.");

        var tables = ModelTables.InDependencyOrder(target.Model);
        var sourceTypes = source.Model.GetEntityTypes().ToDictionary(t => t.ClrType);
        var counts = new List<ImportedTable>();
        await using var tx = await connection.BeginTransactionAsync(ct);
        // A first start on the target left bootstrap rows (a default project, roles): the imported ones replace them.
        await ExecAsync(connection, "TRUNCATE " + string.Join(", ", tables.Select(t => Quote(t.GetTableName()!))) + " RESTART IDENTITY CASCADE", ct);
        foreach (var table in tables)
        {
            var sw = Stopwatch.StartNew();
            var rows = await CopyAsync(source, sourceTypes[table.ClrType], table, connection, ct);
            if (table.ClrType == typeof(Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey))
                rows += await ImportKeyRingAsync(connection, keyRing, ct);
            await ResetIdentityAsync(connection, table, ct);
            logger.LogInformation("Imported {Rows} rows into {Table} in {Seconds:0.0} s", rows, table.GetTableName(), sw.Elapsed.TotalSeconds);
            counts.Add(new ImportedTable(table.GetTableName()!, rows));
        }
        await tx.CommitAsync(ct);
        return counts;
    }

    private static async Task<long> CopyAsync(VigilDbContext source, IEntityType sourceType, IEntityType targetType, NpgsqlConnection connection, CancellationToken ct)
    {
        var columns = targetType.GetProperties().Select(p => (Target: p, Source: sourceType.FindProperty(p.Name)!, Jsonb: p.GetColumnType() == "jsonb")).ToList();
        var copy = $"COPY {Quote(targetType.GetTableName()!)} ({string.Join(", ", columns.Select(c => Quote(c.Target.GetColumnName())))}) FROM STDIN (FORMAT BINARY)";
        long rows = 0;
        await using (var writer = await connection.BeginBinaryImportAsync(copy, ct))
        {
            await foreach (var entity in ModelTables.Rows(source, sourceType).WithCancellation(ct))
            {
                await writer.StartRowAsync(ct);
                foreach (var (_, sourceProperty, jsonb) in columns)
                {
                    var value = sourceProperty.GetGetter().GetClrValue(entity);
                    switch (value)
                    {
                        case null: await writer.WriteNullAsync(ct); break;
                        case string s when jsonb: await writer.WriteAsync(PostgresText.Json(s)!, NpgsqlDbType.Jsonb, ct); break;
                        case string s: await writer.WriteAsync(PostgresText.Clean(s)!, NpgsqlDbType.Text, ct); break;
                        case DateTimeOffset d: await writer.WriteAsync(d.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct); break;
                        case long l: await writer.WriteAsync(l, NpgsqlDbType.Bigint, ct); break;
                        case int i: await writer.WriteAsync(i, NpgsqlDbType.Integer, ct); break;
                        case bool b: await writer.WriteAsync(b, NpgsqlDbType.Boolean, ct); break;
                        case double f: await writer.WriteAsync(f, NpgsqlDbType.Double, ct); break;
                        case byte[] bytes: await writer.WriteAsync(bytes, NpgsqlDbType.Bytea, ct); break;
                        default: throw new NotSupportedException($"{targetType.GetTableName()}: no import for a {value.GetType().Name} value.");
                    }
                }
                rows++;
            }
            await writer.CompleteAsync(ct);
        }
        return rows;
    }

    private static async Task<long> ImportKeyRingAsync(NpgsqlConnection connection, IEnumerable<FileInfo> keyRing, CancellationToken ct)
    {
        long rows = 0;
        foreach (var file in keyRing)
        {
            await using var cmd = new NpgsqlCommand("INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@n, @x)", connection);
            cmd.Parameters.AddWithValue("n", Path.GetFileNameWithoutExtension(file.Name));
            cmd.Parameters.AddWithValue("x", await File.ReadAllTextAsync(file.FullName, ct));
            await cmd.ExecuteNonQueryAsync(ct);
            rows++;
        }
        return rows;
    }

    /// <summary>Identity columns continue after the highest imported id.</summary>
    private static async Task ResetIdentityAsync(NpgsqlConnection connection, IEntityType table, CancellationToken ct)
    {
        var key = table.FindPrimaryKey()?.Properties is [var only] && only.ValueGenerated == ValueGenerated.OnAdd && only.ClrType is var t && (t == typeof(long) || t == typeof(int))
            ? only.GetColumnName() : null;
        if (key is null) return;
        var name = Quote(table.GetTableName()!);
        await ExecAsync(connection, $"SELECT setval(pg_get_serial_sequence('{name}', '{key}'), COALESCE(MAX({Quote(key)}), 0) + 1, false) FROM {name}", ct);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private static async Task ExecAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
