using System.Net;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Projects;
using Vigil.Core.Replay;
using Vigil.Core.Replay.Providers;
using Vigil.Core.Storage;
using Vigil.Tests;
using Vigil.Web.Hosting;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Storage;

/// <summary>
/// <c>import-sqlite</c>: a SQLite history (a real server's file) moved into a PostgreSQL database, then served from it.
/// Runs with the SQLite suite (it needs both databases; the PostgreSQL server is the test run's).
/// </summary>
[Trait("Provider", "Sqlite")]
public class ImportSqliteTests
{
    private const string ProviderKey = "sk-imported-provider-key-0001";

    [Fact]
    public async Task A_sqlite_history_moves_into_postgres_with_equal_counts_and_the_same_keys_and_passwords()
    {
        await using var source = TestStorage.CreateSqlite("vigil-import-tests");
        await using var target = TestStorage.CreatePostgres("vigil-import-tests", migrated: false);

        // A history: traces of two projects, a member, a stored provider key, drift measurements, a notification.
        Dictionary<string, long> before;
        string otherKey;
        string traceList;
        await using (var sqlite = new VigilWebFactory(source))
        {
            var client = sqlite.ClientWithKey();
            for (var t = 0; t < 30; t++)
            {
                var status = t % 4 == 0 ? "error" : "ok";
                Assert.Equal(HttpStatusCode.Created, (await client.PostTracesAsync($$$"""
                    {"spans":[{"span_id":"root","trace_id":"imp-{{{t}}}","name":"agent","kind":"agent","status":"ok","start_time":"2026-01-01T00:{{{t:00}}}:00Z","end_time":"2026-01-01T00:{{{t:00}}}:02Z","metadata":{"n":{{{t}}}}},
                              {"span_id":"llm","trace_id":"imp-{{{t}}}","parent_span_id":"root","name":"chat","kind":"llm","status":"{{{status}}}",
                               "input":{"model":"gpt-4o","messages":[{"role":"user","content":"question {{{t}}}"}]},"output":{"content":"answer {{{t}}}","usage":{"prompt_tokens":{{{t + 3}}},"completion_tokens":{{{t}}}}},
                               "start_time":"2026-01-01T00:{{{t:00}}}:00.5Z","end_time":"2026-01-01T00:{{{t:00}}}:01.5Z"}]}
                    """)).StatusCode);
            }
            otherKey = await sqlite.CreateProjectAsync("other");
            Assert.Equal(HttpStatusCode.Created, (await sqlite.ClientWithKey(otherKey).PostTracesAsync("""{"spans":[{"span_id":"x","trace_id":"other-1","name":"x"}]}""")).StatusCode);
            await sqlite.CreateMemberAsync("member@import.test", VigilWebFactory.ProjectId);
            await sqlite.Get<ProviderSettingsService>().UpdateAsync(VigilWebFactory.ProjectId, new ProviderSettingsUpdate(null, ProviderKey), null);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/drift/run", null)).StatusCode);
            await sqlite.Get<Vigil.Core.Notifications.NotificationService>().CreateAsync(VigilWebFactory.ProjectId, "drift_alert", "imported", null, "1");
            traceList = await client.GetStringAsync("/v1/traces?limit=200");
            before = await CountsAsync(sqlite.Get<IDbContextFactory<VigilDbContext>>());
        }

        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        int exit;
        try
        {
            exit = await ImportSqliteCommand.RunAsync(["import-sqlite", source.DbPath,
                "--Vigil:Database:Provider=Postgres", $"--ConnectionStrings:Vigil={target.ConnectionString}", "--Logging:LogLevel:Default=Warning"]);
        }
        finally { Console.SetOut(console); }
        Assert.True(exit == 0, output.ToString());
        Assert.Contains("spans", output.ToString());
        Assert.Contains("Imported", output.ToString());

        await using (var postgres = new VigilWebFactory(target))
        {
            var after = await CountsAsync(postgres.Get<IDbContextFactory<VigilDbContext>>());
            // The first start on the target added nothing: the imported project, key and admin already exist.
            Assert.Equal(before, after);
            // The same key reads the same trace list; the other project's key still works and is still scoped.
            var client = postgres.ClientWithKey();
            Assert.Equal(Normalize(traceList), Normalize(await client.GetStringAsync("/v1/traces?limit=200")));
            var other = await postgres.ClientWithKey(otherKey).GetAsync("/v1/traces/imp-1");
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            // The same admin password and member password sign in; the stored provider key still decrypts.
            await postgres.SignedInClientAsync();
            await postgres.SignedInClientAsync("member@import.test", "member-password-1");
            var project = await postgres.Get<ProjectService>().GetAsync(VigilWebFactory.ProjectId);
            Assert.Equal(ProviderKey, postgres.Get<ProviderEndpointResolver>().Resolve(project!, ProviderNames.OpenAI).ApiKey);
            // New rows get new ids after the imported ones.
            Assert.Equal(HttpStatusCode.Created, (await client.PostTracesAsync("""{"spans":[{"span_id":"new","trace_id":"after-import"}]}""")).StatusCode);
        }

        // A target that holds traces is refused, and left as it was.
        Console.SetOut(TextWriter.Null);
        try
        {
            exit = await ImportSqliteCommand.RunAsync(["import-sqlite", source.DbPath,
                "--Vigil:Database:Provider=Postgres", $"--ConnectionStrings:Vigil={target.ConnectionString}", "--Logging:LogLevel:Default=None"]);
        }
        finally { Console.SetOut(console); }
        Assert.Equal(2, exit);
    }

    private static async Task<Dictionary<string, long>> CountsAsync(IDbContextFactory<VigilDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        return new Dictionary<string, long>
        {
            ["projects"] = await db.Projects.LongCountAsync(),
            ["api_keys"] = await db.ApiKeys.LongCountAsync(),
            ["traces"] = await db.Traces.LongCountAsync(),
            ["spans"] = await db.Spans.LongCountAsync(),
            ["users"] = await db.Users.LongCountAsync(),
            ["roles"] = await db.Roles.LongCountAsync(),
            ["user_roles"] = await db.UserRoles.LongCountAsync(),
            ["members"] = await db.ProjectMembers.LongCountAsync(),
            ["drift_measurements"] = await db.DriftMeasurements.LongCountAsync(),
            ["notifications"] = await db.Notifications.LongCountAsync(),
        };
    }

    // jsonb gives JSON back with its own key order and spacing: compare the list as parsed values.
    private static string Normalize(string json) => System.Text.Json.JsonSerializer.Serialize(
        System.Text.Json.Nodes.JsonNode.Parse(json)!["traces"]!.AsArray().Select(t => new
        {
            id = (string?)t!["trace_id"], name = (string?)t["name"], status = (string?)t["status"], spans = (int)t["span_count"]!,
            errors = (int)t["error_count"]!, input = (long)t["input_tokens"]!, output = (long)t["output_tokens"]!, cost = (double)t["cost_usd"]!,
            start = (string?)t["start_time"], meta = t["metadata"]?.ToJsonString(),
        }));
}
