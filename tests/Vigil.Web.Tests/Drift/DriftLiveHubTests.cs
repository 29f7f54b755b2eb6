using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Drift;

public class DriftLiveHubTests(VigilWebFactory factory) : IClassFixture<VigilWebFactory>
{
    [Fact]
    public async Task Hub_clients_receive_drift_alert_and_drift_resolved_with_the_api_field_names()
    {
        var key = await factory.CreateProjectAsync("drift-hub");
        var server = factory.Server;
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/live"), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(key);
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
            })
            .Build();
        var events = Channel.CreateUnbounded<(string Type, JsonElement Alert)>();
        connection.On<JsonElement>("drift_alert", a => events.Writer.TryWrite(("drift_alert", a)));
        connection.On<JsonElement>("drift_resolved", a => events.Writer.TryWrite(("drift_resolved", a)));
        await connection.StartAsync();
        var client = factory.ClientWithKey(key);
        Assert.Equal(HttpStatusCode.Created, (await client.PostTracesAsync(DriftSpans.SteadyWithSlowCurrent(DateTimeOffset.UtcNow, ["llm"], ["llm"]))).StatusCode);

        await client.PostAsync("/v1/drift/run", null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (type, alert) = await events.Reader.ReadAsync(timeout.Token);
        Assert.Equal("drift_alert", type);
        Assert.Equal("latency", alert.GetProperty("metric_name").GetString());
        Assert.Equal("drift-hub", alert.GetProperty("project_id").GetString());
        Assert.False(alert.TryGetProperty("histogram", out _));

        await client.PatchAsync($"/v1/drift/alerts/{alert.GetProperty("id").GetInt64()}/resolve", null);
        var (type2, resolved) = await events.Reader.ReadAsync(timeout.Token);
        Assert.Equal("drift_resolved", type2);
        Assert.True(resolved.GetProperty("resolved").GetBoolean());
    }
}
