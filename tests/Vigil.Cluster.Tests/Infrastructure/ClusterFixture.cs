using Vigil.Tests.Fakes;

namespace Vigil.Tests.Cluster;

/// <summary>
/// Two Vigil instances, A and B, on one fresh PostgreSQL database and one throwaway Redis, with replay providers pointed
/// at a fake LLM server. One per test class; everything is stopped and dropped afterwards.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    public TestStorage Storage { get; private set; } = null!;
    public RedisServer Redis { get; private set; } = null!;
    public FakeLlmServer Fake { get; private set; } = null!;
    public ClusterNode A { get; private set; } = null!;
    public ClusterNode B { get; private set; } = null!;

    /// <summary>Settings both instances get on top of the cluster's own.</summary>
    protected virtual Dictionary<string, string?> Settings() => [];

    public async ValueTask InitializeAsync()
    {
        Storage = TestStorage.CreatePostgres("vigil-cluster-tests");
        Redis = await RedisServer.StartNewAsync();
        Fake = await FakeLlmServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Vigil:Replay:OpenAI:BaseUrl"] = Fake.OpenAiBaseUrl,
            ["Vigil:Replay:OpenAI:ApiKey"] = "sk-cluster-test",
            ["Vigil:Replay:Anthropic:BaseUrl"] = Fake.AnthropicBaseUrl,
            ["Vigil:Replay:Anthropic:ApiKey"] = "sk-ant-cluster-test",
            ["Vigil:Replay:TimeoutSeconds"] = "20",
            ["Vigil:Replay:MaxRetries"] = "0",
            ["Vigil:Replay:PollSeconds"] = "0.5",
        };
        foreach (var (k, v) in Settings()) settings[k] = v;
        // One after the other: the first migrates the database and creates the project, key and admin.
        A = new ClusterNode("A", Storage, Redis.ConnectionString, settings).Start();
        B = new ClusterNode("B", Storage, Redis.ConnectionString, settings).Start();
    }

    public async ValueTask DisposeAsync()
    {
        if (A is not null) await A.DisposeAsync();
        if (B is not null) await B.DisposeAsync();
        if (Fake is not null) await Fake.DisposeAsync();
        if (Redis is not null) await Redis.DisposeAsync();
        if (Storage is not null) await Storage.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
