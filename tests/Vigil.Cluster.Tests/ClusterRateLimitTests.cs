using System.Net;

namespace Vigil.Tests.Cluster;

public sealed class LowIngestLimitCluster : ClusterFixture
{
    protected override Dictionary<string, string?> Settings() => new()
    {
        ["Vigil:RateLimits:IngestPerKey:PermitLimit"] = "6",
        ["Vigil:RateLimits:IngestPerKey:WindowSeconds"] = "120",
    };
}

public class ClusterRateLimitTests(LowIngestLimitCluster f) : IClassFixture<LowIngestLimitCluster>
{
    [Fact]
    public async Task The_per_key_ingest_window_counts_requests_to_both_instances()
    {
        using var a = f.A.Client();
        using var b = f.B.Client();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            foreach (var client in new[] { a, b })
            {
                var response = await client.PostTracesAsync($$"""{"spans":[{"span_id":"rl-{{i}}-{{client.BaseAddress!.Port}}","trace_id":"rl"}]}""");
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.TooManyRequests) Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            }
        // Six permits for the cluster, not six per instance.
        Assert.Equal(6, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }
}
