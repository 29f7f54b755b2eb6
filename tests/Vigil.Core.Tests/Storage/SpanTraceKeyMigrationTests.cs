using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Traces;

namespace Vigil.Core.Tests.Storage;

[Trait("Provider", "Sqlite")]
public class SpanTraceKeyMigrationTests
{
    [Fact]
    public async Task Spans_stored_before_the_trace_key_migration_are_linked_to_their_traces_and_still_readable()
    {
        await using var host = await CoreTestHost.StartAsync(createProject: false, migrate: false);
        await using (var db = await host.Db())
        {
            var migrator = db.GetInfrastructure().GetRequiredService<IMigrator>();
            await migrator.MigrateAsync("DashboardIndexes");
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO projects (id, name, created_at_us) VALUES ('old', 'Old', 0);
                INSERT INTO traces (project_id, trace_id, name, name_explicit, status, status_explicit, start_time_us, created_at_us, updated_at_us,
                                    span_count, error_count, input_tokens, output_tokens, cost_usd)
                VALUES ('old', 'ta', 'a', 0, 'ok', 0, 1, 1, 1, 2, 0, 0, 0, 0), ('old', 'tb', 'b', 0, 'ok', 0, 2, 2, 2, 1, 0, 0, 0, 0);
                INSERT INTO spans (project_id, trace_id, span_id, parent_span_id, name, kind, status, start_time_us)
                VALUES ('old', 'ta', 's1', NULL, 'root', 'agent', 'ok', 1), ('old', 'ta', 's2', 's1', 'llm', 'llm', 'ok', 2),
                       ('old', 'tb', 's1', NULL, 'root', 'agent', 'ok', 3);
                """);
            await migrator.MigrateAsync();
        }

        var queries = host.Get<TraceQueryService>();
        var a = await queries.GetAsync("old", "ta");
        var b = await queries.GetAsync("old", "tb");
        Assert.Equal(["s1", "s2"], a!.Spans.Select(s => s.SpanId));
        Assert.Equal(["s1"], b!.Spans.Select(s => s.SpanId));
        Assert.All(a.Spans, s => Assert.Equal(a.Trace.Id, s.TracePk));

        // The same span id in another trace stays a separate row, and an update finds its own.
        var result = await host.IngestJsonAsync("""{"spans":[{"trace_id":"tb","span_id":"s1","output":{"done":true}}]}""", project: "old");
        Assert.Equal(Vigil.Core.Ingest.IngestOutcome.Accepted, result.Outcome);
        b = await queries.GetAsync("old", "tb");
        Assert.Equal("root", Assert.Single(b!.Spans).Name);
        Assert.Null((await queries.GetAsync("old", "ta"))!.Spans[0].Output);
    }
}
