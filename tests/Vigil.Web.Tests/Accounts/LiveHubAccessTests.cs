using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Accounts;

/// <summary><c>/hubs/live</c> takes a dashboard cookie or a project key and joins only the groups the caller may see.</summary>
public class LiveHubAccessTests(VigilWebFactory factory) : IClassFixture<VigilWebFactory>
{
    private sealed record Live(HubConnection Connection, Channel<JsonElement> Spans, JsonElement Subscribed) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Connection.DisposeAsync();

        /// <summary>Trace ids received until <paramref name="marker"/> arrives (events of one connection arrive in order).</summary>
        public async Task<List<string>> TraceIdsUntilAsync(string marker)
        {
            var seen = new List<string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                foreach (var span in (await Spans.Reader.ReadAsync(timeout.Token)).EnumerateArray())
                {
                    var id = span.GetProperty("trace_id").GetString()!;
                    seen.Add(id);
                    if (id == marker) return seen;
                }
            }
        }
    }

    private async Task<Live> ConnectAsync(string? cookie = null, string? key = null)
    {
        var server = factory.Server;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/live"), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                if (cookie is not null) o.Headers["Cookie"] = cookie;
                if (key is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(key);
            })
            .Build();
        var spans = Channel.CreateUnbounded<JsonElement>();
        var subscribed = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<JsonElement>("spans", s => spans.Writer.TryWrite(s));
        connection.On<JsonElement>("subscribed", m => subscribed.TrySetResult(m));
        await connection.StartAsync();
        return new Live(connection, spans, await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static List<string> ProjectIds(JsonElement subscribed) =>
        subscribed.GetProperty("project_ids").EnumerateArray().Select(e => e.GetString()!).Order().ToList();

    [Fact]
    public async Task A_members_cookie_joins_their_projects_only()
    {
        var keyA = await factory.CreateProjectAsync("hub-a");
        var keyB = await factory.CreateProjectAsync("hub-b");
        var password = await factory.CreateMemberAsync("hub-member@test.local", "hub-a");
        await using var live = await ConnectAsync(cookie: await factory.SignInCookieAsync("hub-member@test.local", password));
        Assert.Equal(["hub-a"], ProjectIds(live.Subscribed));

        await factory.ClientWithKey(keyB).PostTracesAsync("""{"spans":[{"span_id":"b1","trace_id":"hub-secret-b"}]}""");
        await factory.ClientWithKey(keyA).PostTracesAsync("""{"spans":[{"span_id":"a1","trace_id":"hub-visible-a"}]}""");
        var seen = await live.TraceIdsUntilAsync("hub-visible-a");
        Assert.DoesNotContain("hub-secret-b", seen);
    }

    [Fact]
    public async Task An_admins_cookie_joins_every_project()
    {
        await factory.CreateProjectAsync("hub-admin-x");
        await using var live = await ConnectAsync(cookie: await factory.SignInCookieAsync());
        var ids = ProjectIds(live.Subscribed);
        Assert.Contains(VigilWebFactory.ProjectId, ids);
        Assert.Contains("hub-admin-x", ids);
    }

    [Fact]
    public async Task A_project_key_joins_its_own_project_only()
    {
        await factory.CreateProjectAsync("hub-key-other");
        await using var live = await ConnectAsync(key: VigilWebFactory.ApiKey);
        Assert.Equal([VigilWebFactory.ProjectId], ProjectIds(live.Subscribed));
    }

    [Fact]
    public async Task No_credentials_or_a_bad_key_cannot_connect()
    {
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => ConnectAsync());
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => ConnectAsync(key: "vgl_not_a_real_key_0000000000000"));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => ConnectAsync(cookie: "vigil.auth=forged"));
    }
}
