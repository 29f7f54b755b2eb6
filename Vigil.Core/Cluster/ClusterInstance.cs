using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Cluster;

/// <summary>
/// This process among the cluster's instances: an id that is new at every start (it owns replay leases and marks what
/// this instance publishes on the bus), and whether other instances may exist at all (Redis is configured).
/// </summary>
public sealed class ClusterInstance(IOptions<RedisOptions> redis)
{
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>True when Redis is configured: other instances may share the database.</summary>
    public bool Clustered { get; } = redis.Value.Enabled;
}
