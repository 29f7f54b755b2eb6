using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR.Client;

namespace Vigil.Bench.Soak;

/// <summary>
/// N external clients of /hubs/live (API key auth, <c>?events=spans</c>: what they read), each counting the spans it receives and every send-time-stamped span's
/// POST-to-client latency into one shared histogram. A connection that closes before the bench stops it counts as an error
/// (read <see cref="Closed"/> before disposing).
/// </summary>
public sealed class HubListeners(string url, string key, int count) : IAsyncDisposable
{
    private readonly List<HubConnection> _connections = [];
    private long _received;
    private long _closed;

    public LatencyHistogram Latency { get; } = new();
    public long Received => Interlocked.Read(ref _received);
    public long Closed => Interlocked.Read(ref _closed);
    public int Count => count;

    public async Task StartAsync(CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(url + "/hubs/live?events=spans", o => o.AccessTokenProvider = () => Task.FromResult<string?>(key))
                .Build();
            connection.On<SpanId[]>("spans", OnSpans);
            connection.Closed += _ => { Interlocked.Increment(ref _closed); return Task.CompletedTask; };
            await connection.StartAsync(ct);
            _connections.Add(connection);
        }
    }

    /// <summary>The one field of a span summary the clients read (deserializing only it keeps the bench's CPU for the server).</summary>
    private sealed record SpanId([property: JsonPropertyName("span_id")] string? Id);

    private void OnSpans(SpanId[] spans)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var s in spans)
        {
            // "s<send timestamp>-<batch>-<i>": the soak traffic's spans; the growing trace's are not timed.
            var id = s.Id;
            if (id is not ['s', ..]) continue;
            var dash = id.IndexOf('-');
            if (dash > 1 && long.TryParse(id.AsSpan(1, dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sent))
                Latency.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
        }
        Interlocked.Add(ref _received, spans.Length);
    }

    public int Connected => _connections.Count(c => c.State == HubConnectionState.Connected);

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _connections)
        {
            await c.StopAsync();
            await c.DisposeAsync();
        }
    }
}
