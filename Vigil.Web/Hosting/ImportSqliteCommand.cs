using System.Globalization;
using Vigil.Core.Storage;
using Vigil.Core.Storage.Import;
using Vigil.Core.Storage.Postgres;
using Vigil.Core.Storage.Sqlite;

namespace Vigil.Web.Hosting;

/// <summary>
/// <c>import-sqlite &lt;path/to/vigil.db&gt; [--keys &lt;dir&gt;]</c>: copies a SQLite history into the configured PostgreSQL
/// database (run it with the server's PostgreSQL settings) and prints a count per table. Exit 0 on success, 2 on bad
/// usage or a target it may not fill, 1 on failure (then nothing was written).
/// </summary>
public static class ImportSqliteCommand
{
    public const string Name = "import-sqlite";

    public static bool IsInvocation(string[] args) => args.Length > 0 && args[0] == Name;

    public static async Task<int> RunAsync(string[] args)
    {
        var rest = args.Skip(1).ToList();
        var keysAt = rest.IndexOf("--keys");
        string? keys = null;
        if (keysAt >= 0 && keysAt + 1 < rest.Count) { keys = rest[keysAt + 1]; rest.RemoveRange(keysAt, 2); }
        var path = rest.FirstOrDefault(a => !a.StartsWith('-'));
        if (path is null)
        {
            Console.Error.WriteLine($"Usage: {Name} <path/to/vigil.db> [--keys <key ring folder, default: keys/ next to the file>]");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder([.. rest.Where(a => a != path)]);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Vigil.Import");
        var provider = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.Provider ?? DatabaseProvider.Sqlite;
        if (provider != DatabaseProvider.Postgres)
        {
            Console.Error.WriteLine($"{Name} copies into PostgreSQL: run it with Vigil__Database__Provider=Postgres and ConnectionStrings__Vigil set to the target database.");
            return 2;
        }

        var keyDir = new DirectoryInfo(keys ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "keys"));
        var keyRing = keyDir.Exists ? keyDir.GetFiles("*.xml") : [];
        if (keyRing.Length == 0)
            logger.LogWarning("No Data Protection key ring at {Dir}: stored provider keys of the source will not decrypt after the import (set them again)", keyDir.FullName);
        try
        {
            await using var source = await SqliteHistorySource.OpenAsync(path, logger, CancellationToken.None);
            var counts = await PostgresHistoryImport.RunAsync(source, StorageServiceCollectionExtensions.ConnectionString(builder.Configuration), keyRing,
                logger, CancellationToken.None);
            var width = counts.Max(c => c.Table.Length);
            foreach (var c in counts)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Table.PadRight(width)}  {c.Rows,12:N0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Imported {counts.Sum(c => c.Rows):N0} rows from {path}."));
            return 0;
        }
        catch (ImportRefusedException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        catch (Exception e) when (e is IOException or System.Data.Common.DbException)
        {
            logger.LogError(e, "The import failed; nothing was written to the target");
            return 1;
        }
    }
}
