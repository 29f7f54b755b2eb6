using System.Net;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Api;

[Trait("Provider", "Sqlite")] // corrupts the SQLite file under the server
public class HealthTests
{
    [Fact]
    public async Task Health_and_ready_answer_as_before_and_ready_is_503_when_the_database_does_not_answer()
    {
        await using var factory = new VigilWebFactory();
        var client = factory.CreateClient();
        var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", (await health.JsonAsync()).GetProperty("status").GetString());
        var ready = await client.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", (await ready.JsonAsync()).GetProperty("status").GetString());

        // The database file stops being a database.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { factory.DbPath, factory.DbPath + "-wal", factory.DbPath + "-shm" })
            if (File.Exists(file)) await File.WriteAllTextAsync(file, new string('x', 4096));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var notReady = await client.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("application/problem+json", notReady.Content.Headers.ContentType?.MediaType);
        Assert.Equal("The database does not answer.", (await notReady.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }
}
