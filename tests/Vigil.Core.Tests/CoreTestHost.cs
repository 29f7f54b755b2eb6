using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core;
using Vigil.Core.Ingest;
using Vigil.Core.Projects;
using Vigil.Core.Storage;

namespace Vigil.Core.Tests;

/// <summary>Core services over a real SQLite file in a temp folder, migrated, with one project "p1".</summary>
public sealed class CoreTestHost : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vigil-core-tests", Guid.NewGuid().ToString("N"));
    public ServiceProvider Services { get; }
    public string DbPath => Path.Combine(_dir, "vigil.db");

    private CoreTestHost(Dictionary<string, string?>? extra, Action<IServiceCollection, IConfiguration>? configure)
    {
        Directory.CreateDirectory(_dir);
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Vigil"] = $"Data Source={DbPath}" };
        if (extra is not null) foreach (var (k, v) in extra) settings[k] = v;
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        configure?.Invoke(services, config);
        services.AddVigilCore(config);
        Services = services.BuildServiceProvider();
    }

    /// <param name="configure">Runs before AddVigilCore, e.g. to register a FakeTimeProvider or extra features.</param>
    /// <param name="migrate">False leaves the database empty, for tests that migrate step by step.</param>
    public static async Task<CoreTestHost> StartAsync(Dictionary<string, string?>? extra = null, bool createProject = true, Action<IServiceCollection, IConfiguration>? configure = null,
        bool migrate = true)
    {
        var host = new CoreTestHost(extra, configure);
        if (migrate)
            await using (var db = await host.Db())
                await db.Database.MigrateAsync();
        if (createProject) await host.Services.GetRequiredService<ProjectService>().CreateAsync("p1", "Project one", null);
        return host;
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public Task<VigilDbContext> Db() => Get<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync();

    public Task<IngestResult> IngestJsonAsync(string json, string project = "p1", IngestMode mode = IngestMode.AllOrNothing) =>
        Get<IngestService>().IngestAsync(project, NativeBatchParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), new IngestOptions()), mode);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
