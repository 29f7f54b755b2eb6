using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Distribution.Tests.Infrastructure;

namespace Vigil.Distribution.Tests;

/// <summary>
/// The samples, each run with the one command the README gives, against a real Vigil server process. The
/// OpenTelemetry-only one is the issue's acceptance test: the OpenTelemetry .NET SDK's defaults (OTLP/gRPC) plus
/// OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS in the environment, nothing else.
/// </summary>
public sealed class SamplesTests : IClassFixture<SamplesTests.Server>
{
    private const string Key = "vgl_samples_key_0123456789abcdef";
    private readonly Server _server;

    public SamplesTests(Server server) => _server = server;

    /// <summary>Vigil.Web from this build, on free ports, with a project for the samples.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private readonly TempDir _data = new();
        private ServerProcess? _process;
        public int HttpPort { get; } = ServerProcess.FreePort();
        public int GrpcPort { get; } = ServerProcess.FreePort();
        public HttpClient Api { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            _process = ServerProcess.Start("dotnet", [Repo.At("Vigil.Web", "bin", Repo.Configuration, "net10.0", "Vigil.Web.dll")], _data.Path,
                new Dictionary<string, string?>
                {
                    ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{HttpPort}",
                    ["Vigil__Otlp__GrpcEndpoint"] = $"http://127.0.0.1:{GrpcPort}",
                    ["Vigil__DataDirectory"] = _data.Path,
                    ["Vigil__Init__ProjectId"] = "samples",
                    ["Vigil__Init__ApiKey"] = Key,
                });
            await _process.WaitForAsync($"http://127.0.0.1:{HttpPort}/ready");
            Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}") };
            Api.DefaultRequestHeaders.Add("x-api-key", Key);
        }

        public async ValueTask DisposeAsync()
        {
            Api.Dispose();
            if (_process is not null) await _process.DisposeAsync();
            _data.Dispose();
        }
    }

    private static Task<string> RunSampleAsync(string project, Dictionary<string, string?> environment) =>
        Cli.RunAsync("dotnet", ["run", "--project", $"samples/{project}", "-c", Repo.Configuration, "--no-build"], Repo.Root, environment, TimeSpan.FromMinutes(2));

    private async Task<List<JsonElement>> TracesAsync(string name)
    {
        var page = await _server.Api.GetFromJsonAsync<JsonElement>($"/v1/traces?name={name}&limit=50");
        var traces = new List<JsonElement>();
        foreach (var t in page.GetProperty("traces").EnumerateArray())
            traces.Add(await _server.Api.GetFromJsonAsync<JsonElement>($"/v1/traces/{t.GetProperty("trace_id").GetString()}"));
        return traces;
    }

    [Fact]
    public async Task The_OpenTelemetry_only_sample_shows_its_traces_with_the_SDK_defaults_and_the_two_OTLP_settings()
    {
        var output = await RunSampleAsync("Vigil.Sample.OpenTelemetry", new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{_server.GrpcPort}",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = $"x-api-key={Key}",
        });
        Assert.Contains("Done", output);
        Assert.DoesNotContain("could not be exported", output);

        var traces = await TracesAsync("agent-turn");
        Assert.Equal(3, traces.Count);
        foreach (var trace in traces)
        {
            var spans = trace.GetProperty("spans").EnumerateArray().ToList();
            Assert.Equal(["agent", "llm", "retriever"], spans.Select(s => s.GetProperty("kind").GetString()).Order());
            Assert.All(spans, s => Assert.Equal("otel-sample-agent", s.GetProperty("metadata").GetProperty("service.name").GetString()));
            // M.E.AI's GenAI attributes: a replayable conversation.
            var llm = spans.Single(s => s.GetProperty("kind").GetString() == "llm");
            Assert.Equal("gpt-4o-mini", llm.GetProperty("model").GetString());
            Assert.Equal(["system", "user"], llm.GetProperty("input").GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
            // The log written inside the retrieval span, exported over OTLP/gRPC logs, is its event.
            var search = spans.Single(s => s.GetProperty("kind").GetString() == "retriever");
            Assert.Contains("help articles", search.GetProperty("events")[0].GetProperty("attributes").GetProperty("log.body").GetString());
        }
    }

    [Fact]
    public async Task The_chat_sample_records_the_conversation_as_one_trace_of_llm_spans()
    {
        var output = await RunSampleAsync("Vigil.Sample.Chat", new()
        {
            ["VIGIL_ENDPOINT"] = $"http://127.0.0.1:{_server.HttpPort}",
            ["VIGIL_API_KEY"] = Key,
        });
        Assert.Contains("assistant> ", output);

        var trace = Assert.Single(await TracesAsync("chat-session"));
        var llm = trace.GetProperty("spans").EnumerateArray().Where(s => s.GetProperty("kind").GetString() == "llm").ToList();
        Assert.Equal(3, llm.Count);
        // The last turn carries the whole history: system, three questions, two answers.
        var messages = llm.Select(s => s.GetProperty("input").GetProperty("messages").GetArrayLength()).Max();
        Assert.Equal(6, messages);
        Assert.All(llm, s => Assert.False(string.IsNullOrEmpty(s.GetProperty("output").GetProperty("content").GetString())));
    }
}
