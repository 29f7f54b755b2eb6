using Microsoft.Data.Sqlite;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// The SQLite side of <see cref="TextFunctions"/>: <c>vigil_lower(text)</c>, registered on every connection EF opens
/// (<see cref="SqliteConnectionInterceptor"/>). Not an override of the built-in <c>lower()</c>: Microsoft.Data.Sqlite
/// removes a connection's functions when it goes back to the pool, and removing an override leaves the pooled handle
/// with no one-argument <c>lower()</c> at all.
/// </summary>
internal static class SqliteTextFunctions
{
    public const string Lower = "vigil_lower";

    public static void Register(SqliteConnection connection) =>
        connection.CreateFunction<string?, string?>(Lower, value => value?.ToLowerInvariant(), isDeterministic: true);
}
