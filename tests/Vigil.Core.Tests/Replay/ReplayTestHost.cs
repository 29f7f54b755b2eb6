using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vigil.Core.Ingest;
using Vigil.Core.Projects;
using Vigil.Core.Replay;
using Vigil.Core.Storage;
using Vigil.Tests;
using Vigil.Tests.Fakes;

namespace Vigil.Core.Tests.Replay;

/// <summary>Core + replay engine over a temp SQLite file, project "p1", the worker running, providers pointed at a fake server.</summary>
public sealed class ReplayTestHost : IAsyncDisposable
{
    public const string OpenAiKey = "sk-config-openai-0001";
    public const string AnthropicKey = "sk-ant-config-0001";

    private readonly TestStorage _storage = TestStorage.Create("vigil-core-tests");
    private ReplayWorker? _worker;

    public ServiceProvider Services { get; }
    public FakeLlmServer Fake { get; }

    private ReplayTestHost(FakeLlmServer fake, Dictionary<string, string?>? extra)
    {
        Fake = fake;
        var settings = new Dictionary<string, string?>(_storage.Settings)
        {
            ["Vigil:Replay:OpenAI:BaseUrl"] = fake.OpenAiBaseUrl,
            ["Vigil:Replay:OpenAI:ApiKey"] = OpenAiKey,
            ["Vigil:Replay:Anthropic:BaseUrl"] = fake.AnthropicBaseUrl,
            ["Vigil:Replay:Anthropic:ApiKey"] = AnthropicKey,
            ["Vigil:Replay:TimeoutSeconds"] = "10",
            ["Vigil:Replay:MaxRetries"] = "0",
        };
        if (extra is not null) foreach (var (k, v) in extra) settings[k] = v;
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddVigilCore(config);
        services.AddSingleton<IProviderKeyProtector, ReversingProtector>();
        services.AddVigilReplay(config);
        Services = services.BuildServiceProvider();
    }

    /// <param name="beforeWorker">Runs after migration, before the worker starts (to leave rows as a previous process would).</param>
    public static async Task<ReplayTestHost> StartAsync(Dictionary<string, string?>? extra = null, Func<ReplayTestHost, Task>? beforeWorker = null)
    {
        var host = new ReplayTestHost(await FakeLlmServer.StartAsync(), extra);
        await using (var db = await host.Db()) await db.Database.MigrateAsync();
        await host.Get<ProjectService>().CreateAsync("p1", "Project one", null);
        if (beforeWorker is not null) await beforeWorker(host);
        host._worker = host.Services.GetServices<IHostedService>().OfType<ReplayWorker>().Single();
        await host._worker.StartAsync(CancellationToken.None);
        return host;
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public Task<VigilDbContext> Db() => Get<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync();

    public Task<IngestResult> IngestJsonAsync(string json, string project = "p1") =>
        Get<IngestService>().IngestAsync(project, NativeBatchParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), new IngestOptions()));

    /// <summary>Polls the run until it reaches a final status (the worker runs in the background).</summary>
    public async Task<ReplayRun> WaitForEndAsync(string runId, string project = "p1")
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var run = await Get<ReplayService>().GetAsync(project, null, runId);
            if (run!.Status is ReplayStatus.Completed or ReplayStatus.Failed or ReplayStatus.Cancelled) return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Replay {runId} is still {run.Status}.");
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null) await _worker.StopAsync(CancellationToken.None);
        await Fake.DisposeAsync();
        await Services.DisposeAsync();
        await _storage.DisposeAsync();
    }

    /// <summary>Core tests need a reversible protector; the real one (Data Protection) lives in Vigil.Web and is tested there.</summary>
    private sealed class ReversingProtector : IProviderKeyProtector
    {
        public string Protect(string plaintext) => "rev:" + new string(plaintext.Reverse().ToArray());
        public string Unprotect(string protectedText) => new(protectedText[4..].Reverse().ToArray());
    }
}
