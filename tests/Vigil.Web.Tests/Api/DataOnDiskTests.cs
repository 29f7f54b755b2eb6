using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Replay;
using Vigil.Core.Storage;
using Vigil.Web.Replay;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Api;

/// <summary>A host that keeps every log entry at Warning and above.</summary>
public sealed class WarningCaptureFactory : VigilWebFactory
{
    public ConcurrentQueue<(string Category, int EventId, string Message)> Warnings { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(new Sink(Warnings)));
    }

    private sealed class Sink(ConcurrentQueue<(string, int, string)> warnings) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(warnings, categoryName);
        public void Dispose() { }
    }

    private sealed class Logger(ConcurrentQueue<(string, int, string)> warnings, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning) warnings.Enqueue((category, eventId.Id, formatter(state, exception)));
        }
    }
}

public class DataOnDiskTests
{
    /// <summary>
    /// Finding: the first start logged "No XML encryptor configured" (and a migration warning, gone with main's storage
    /// work), which nobody running Vigil can act on.
    /// </summary>
    [Fact]
    public async Task A_first_start_logs_no_warning_a_user_cannot_act_on()
    {
        await using var factory = new WarningCaptureFactory();
        _ = factory.Server;
        // The key ring gets its first key when something is protected (an antiforgery token, a provider key).
        factory.Get<IProviderKeyProtector>().Protect("sk-first-key");
        var warnings = factory.Warnings.Select(w => $"{w.Category}[{w.EventId}]: {w.Message}").ToList();
        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
    }

    /// <summary>Finding: the key ring that decrypts stored provider keys was written world-readable into the source tree.</summary>
    [Fact]
    [Trait("Provider", "Sqlite")] // on PostgreSQL the key ring is in the database
    public async Task The_key_ring_lives_next_to_the_database_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var factory = new VigilWebFactory();
        _ = factory.Server;
        factory.Get<IProviderKeyProtector>().Protect("sk-secret");
        var keys = factory.Get<KeyRingLocation>().Path;
        Assert.Equal(Path.Combine(factory.Dir, "keys"), keys);
        Assert.Equal(OwnerOnly.Folder, File.GetUnixFileMode(keys));
        var files = Directory.GetFiles(keys, "*.xml");
        Assert.NotEmpty(files);
        foreach (var file in files) Assert.Equal(OwnerOnly.File, File.GetUnixFileMode(file));
        Assert.Equal(OwnerOnly.File, File.GetUnixFileMode(factory.DbPath));
        Assert.Equal(factory.DbPath, factory.Get<StorageLocation>().DatabasePath);
    }
}
