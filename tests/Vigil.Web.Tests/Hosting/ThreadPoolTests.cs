using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vigil.Tests;
using Vigil.Web.Hosting;

namespace Vigil.Web.Tests.Hosting;

/// <summary>
/// The thread pool starts with <c>Vigil:ThreadPool:MinWorkerThreads</c> workers (default 32): SQLite's calls block their
/// threads, and on 2 cores the pool's one-thread-a-second growth held the soak's first seconds of ingest ~1.5 s (docs/benchmarks.md).
/// </summary>
public sealed class ThreadPoolTests
{
    [Fact]
    public async Task A_real_server_raises_the_pool_minimum_before_it_listens()
    {
        await using var storage = TestStorage.Create("vigil-threadpool-tests");
        await using var vigil = await VigilProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Vigil"] = storage.ConnectionString,
            ["Vigil__Database__Provider"] = storage.IsOnPostgres ? "Postgres" : "Sqlite",
            ["Vigil__ThreadPool__MinWorkerThreads"] = "48",
            ["Logging__LogLevel__Vigil.Web.Hosting.ThreadPoolSetup"] = "Debug",
        });

        // .NET starts with one worker per core; on a machine with 48 or more cores there is nothing to raise.
        if (Environment.ProcessorCount < 48)
            Assert.Contains($"Thread pool minimum raised from {Environment.ProcessorCount} to 48 worker threads", vigil.Output);
        var listening = vigil.Output.IndexOf("Now listening on", StringComparison.Ordinal);
        var raised = vigil.Output.IndexOf("Thread pool minimum raised", StringComparison.Ordinal);
        if (raised >= 0 && listening >= 0) Assert.True(raised < listening, "the minimum is raised before the server listens");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("5000")]
    public void A_minimum_out_of_range_fails_validation_naming_the_setting(string value)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Vigil:ThreadPool:MinWorkerThreads"] = value }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddVigilThreadPool(config);
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ThreadPoolOptions>>().Value);
        Assert.Contains("MinWorkerThreads", e.Message);
    }
}
