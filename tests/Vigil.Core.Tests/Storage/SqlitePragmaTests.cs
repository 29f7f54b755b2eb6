using Microsoft.EntityFrameworkCore;

namespace Vigil.Core.Tests.Storage;

[Trait("Provider", "Sqlite")]
public class SqlitePragmaTests
{
    [Fact]
    public async Task Connections_run_in_wal_with_normal_sync_foreign_keys_and_a_busy_timeout()
    {
        await using var host = await CoreTestHost.StartAsync();
        await using var db = await host.Db();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        async Task<string> Pragma(string name)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA " + name;
            return Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
        }
        Assert.Equal("wal", await Pragma("journal_mode"));
        Assert.Equal("1", await Pragma("synchronous")); // NORMAL
        Assert.Equal("1", await Pragma("foreign_keys"));
        Assert.Equal("5000", await Pragma("busy_timeout"));
    }
}
