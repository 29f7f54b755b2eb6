using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Vigil.Core.Cluster;

/// <summary>
/// The one Redis connection of this instance (the SignalR backplane opens its own). Connected at start-up without
/// waiting for Redis to answer: an instance starts and serves while Redis is away, and the client reconnects in the
/// background (<see cref="RedisOptions.ReconnectMilliseconds"/>), restoring its subscriptions.
/// </summary>
public sealed class RedisBus(IOptions<RedisOptions> options, ILogger<RedisBus> logger) : IHostedService, IAsyncDisposable
{
    private readonly RedisOptions _options = options.Value;
    private ConnectionMultiplexer? _connection;

    /// <summary>Raised when the connection comes back after a loss (subscriptions are restored by then).</summary>
    public event Action? Restored;

    /// <summary>Null before start-up.</summary>
    public IConnectionMultiplexer? Connection => _connection;

    public bool IsConnected => _connection?.IsConnected == true;

    public RedisChannel Channel(string name) => RedisChannel.Literal(_options.ChannelPrefix + ":" + name);

    public string Key(string name) => _options.ChannelPrefix + ":" + name;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var config = _options.ToConfiguration();
        _connection = await ConnectionMultiplexer.ConnectAsync(config);
        _connection.ConnectionFailed += (_, e) =>
            logger.LogWarning("Redis connection lost ({FailureType}): live pushes between instances pause until it returns", e.FailureType);
        _connection.ConnectionRestored += (_, _) =>
        {
            logger.LogInformation("Redis connection restored");
            Restored?.Invoke();
        };
        if (_connection.IsConnected) logger.LogInformation("Connected to Redis at {Endpoints}", string.Join(", ", config.EndPoints));
        else logger.LogWarning("Redis at {Endpoints} does not answer; serving without it and retrying in the background", string.Join(", ", config.EndPoints));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
