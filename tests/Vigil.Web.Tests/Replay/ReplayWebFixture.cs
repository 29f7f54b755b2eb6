using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Tests.Fakes;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Replay;

/// <summary>A fake OpenAI/Anthropic server plus the real host pointed at it, capturing every log line.</summary>
public sealed class ReplayWebFixture : IAsyncLifetime
{
    public const string ConfigOpenAiKey = "sk-config-openai-web-0001";

    public FakeLlmServer Fake { get; private set; } = null!;
    public CapturingWebFactory Factory { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Fake = await FakeLlmServer.StartAsync();
        Factory = new CapturingWebFactory();
        Factory.With("Vigil:Replay:OpenAI:BaseUrl", Fake.OpenAiBaseUrl)
            .With("Vigil:Replay:OpenAI:ApiKey", ConfigOpenAiKey)
            .With("Vigil:Replay:Anthropic:BaseUrl", Fake.AnthropicBaseUrl)
            .With("Vigil:Replay:Anthropic:ApiKey", "sk-ant-config-web-0001")
            .With("Vigil:Replay:TimeoutSeconds", "10")
            .With("Vigil:Replay:MaxRetries", "0");
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

/// <summary>The test host with a logger that keeps every formatted message (and exception) at every level.</summary>
public sealed class CapturingWebFactory : VigilWebFactory
{
    public ConcurrentQueue<string> Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(new CaptureProvider(Logs)));
    }

    private sealed class CaptureProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CaptureLogger(sink, categoryName);
        public void Dispose() { }
    }

    private sealed class CaptureLogger(ConcurrentQueue<string> sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}
