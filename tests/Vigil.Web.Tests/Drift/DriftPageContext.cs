using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Vigil.Core;
using Vigil.Core.Drift;
using Vigil.Core.Ingest;
using Vigil.Core.Projects;
using Vigil.Core.Storage;
using Vigil.Web.Charts;

namespace Vigil.Web.Tests.Drift;

/// <summary>A bUnit context over a real Core (SQLite in a temp folder, migrated, project "p1") with drift, charts and MudBlazor.</summary>
public sealed class DriftPageContext : BunitContext, IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vigil-bunit-tests", Guid.NewGuid().ToString("N"));

    public DriftPageContext()
    {
        Directory.CreateDirectory(_dir);
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Vigil"] = $"Data Source={Path.Combine(_dir, "vigil.db")}" })
            .Build();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddLogging();
        Services.AddVigilCore(config);
        Services.AddVigilDrift(config);
        Services.AddChartRenderer();
        Services.AddMudServices();
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask InitializeAsync()
    {
        await using (var db = await Get<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync())
            await db.Database.MigrateAsync();
        await Get<ProjectService>().CreateAsync("p1", "Project one", null);
    }

    public async Task SeedSlowLlmHourAsync()
    {
        var json = DriftSpans.SteadyWithSlowCurrent(DateTimeOffset.UtcNow, ["llm", "tool"], ["llm"]);
        var result = await Get<IngestService>().IngestAsync("p1", NativeBatchParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), new IngestOptions()), IngestMode.AllOrNothing);
        Assert.Empty(result.Errors);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
