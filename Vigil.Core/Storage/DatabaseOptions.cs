using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Storage;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Bound from <c>Vigil:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Vigil:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Busy timeout for SQLite writers, in milliseconds.</summary>
    [Range(0, 600_000)]
    public int BusyTimeoutMs { get; set; } = 5000;

    /// <summary>
    /// SQLite: WAL pages (4 KiB each) past which the ingest writer rewinds the log between two groups; the default keeps
    /// it near 64 MiB under continuous ingest.
    /// </summary>
    [Range(64, 10_000_000)]
    public int WalRestartPages { get; set; } = 16_384;
}

[OptionsValidator]
public sealed partial class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>;
