using StackExchange.Redis;

namespace Vigil.Core.Cluster;

/// <summary>
/// Bound from <c>Vigil:Redis</c>. Without a connection string Vigil is one instance, exactly as before; with one, Redis is
/// the cluster's message bus (live feed fan-out, SignalR backplane, key cache invalidation, cluster rate limits) and never
/// holds data: losing it loses live pushes, not spans.
/// </summary>
public sealed class RedisOptions
{
    public const string Section = "Vigil:Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis.internal:6379,password=…</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefix of every channel and key Vigil uses, so several Vigil clusters can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "vigil";

    /// <summary>How often a lost connection is retried (milliseconds): pushes resume within about this after Redis returns.</summary>
    public int ReconnectMilliseconds { get; set; } = 1000;

    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>
    /// The client settings: never abort at start-up (an instance serves without Redis), fail commands at once while
    /// disconnected instead of queueing them (a publish must never wait for Redis), retry the connection steadily.
    /// </summary>
    public ConfigurationOptions ToConfiguration()
    {
        var c = ConfigurationOptions.Parse(ConnectionString!);
        c.AbortOnConnectFail = false;
        c.BacklogPolicy = BacklogPolicy.FailFast;
        c.ReconnectRetryPolicy = new LinearRetry(ReconnectMilliseconds);
        c.ClientName ??= "vigil";
        return c;
    }

    /// <summary>Errors naming the bad setting, for start-up validation.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrEmpty(ChannelPrefix) || ChannelPrefix.Length > 64 || !ChannelPrefix.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.'))
            yield return $"{Section}:ChannelPrefix must be 1-64 letters, digits, '-', '_' or '.'.";
        if (ReconnectMilliseconds is < 100 or > 60_000)
            yield return $"{Section}:ReconnectMilliseconds must be between 100 and 60000.";
        if (!Enabled) yield break;
        string? error = null;
        try
        {
            if (ConfigurationOptions.Parse(ConnectionString!).EndPoints.Count == 0) error = "names no host";
        }
        catch (ArgumentException e) { error = e.Message; }
        if (error is not null) yield return $"{Section}:ConnectionString is not a valid Redis configuration ({error}).";
    }
}
