using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core;
using Vigil.Core.Ingest;
using Vigil.Core.Projects;
using Vigil.Core.Storage;
using Vigil.Tests;

namespace Vigil.Core.Tests;

/// <summary>Core services over a real database (a SQLite file, or PostgreSQL in that run: <see cref="TestStorage"/>), migrated, with one project "p1".</summary>
public sealed class CoreTestHost : IAsyncDisposable
{
    private readonly TestStorage _storage;
    private readonly bool _ownsStorage;
    public ServiceProvider Services { get; }
    public string DbPath => _storage.DbPath;
    public TestStorage Storage => _storage;

    /// <summary>Whether <paramref name="c"/> is a connection to this host's database (EF's diagnostics are process-wide).</summary>
    public bool Owns(System.Data.Common.DbConnection c) => TestStorage.IsPostgres
        ? c.Database == new Npgsql.NpgsqlConnectionStringBuilder(_storage.ConnectionString).Database
        : c.DataSource == _storage.DbPath;

    private CoreTestHost(Dictionary<string, string?>? extra, Action<IServiceCollection, IConfiguration>? configure, bool migrated, TestStorage? shared)
    {
        _ownsStorage = shared is null;
        _storage = shared ?? TestStorage.Create("vigil-core-tests", migrated);
        var settings = new Dictionary<string, string?>(_storage.Settings);
        if (extra is not null) foreach (var (k, v) in extra) settings[k] = v;
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        configure?.Invoke(services, config);
        services.AddVigilCore(config);
        Services = services.BuildServiceProvider();
    }

    /// <param name="configure">Runs before AddVigilCore, e.g. to register a FakeTimeProvider or extra features.</param>
    /// <param name="migrate">False leaves the database empty, for tests that migrate step by step.</param>
    /// <param name="shared">Another host's database: a second "process" on it (the caller disposes the storage).</param>
    public static async Task<CoreTestHost> StartAsync(Dictionary<string, string?>? extra = null, bool createProject = true, Action<IServiceCollection, IConfiguration>? configure = null,
        bool migrate = true, TestStorage? shared = null)
    {
        var host = new CoreTestHost(extra, configure, migrate, shared);
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
        if (_ownsStorage) await _storage.DisposeAsync();
    }
}
