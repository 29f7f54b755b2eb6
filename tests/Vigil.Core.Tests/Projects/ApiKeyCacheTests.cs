using Microsoft.Extensions.Options;
using Vigil.Core.Projects;

namespace Vigil.Core.Tests.Projects;

public class ApiKeyCacheTests
{
    private static ApiKeyCache Cache(int entries = 1000) => new(Options.Create(new ApiKeyCacheOptions { CacheEntries = entries }));

    private static async Task WaitForCompactionAsync(ApiKeyCache cache, int limit)
    {
        // MemoryCache compacts on a background thread once the size limit is hit.
        for (var i = 0; i < 200 && cache.Count > limit; i++) await Task.Delay(10);
    }

    [Fact]
    public async Task Two_hundred_thousand_unknown_keys_leave_at_most_the_configured_entries()
    {
        using var cache = Cache(1000);
        for (var i = 0; i < 200_000; i++) cache.Set(ApiKeySecret.Hash(ApiKeySecret.Generate()), null);
        await WaitForCompactionAsync(cache, 1000);
        Assert.InRange(cache.Count, 1, 1000);
    }

    [Fact]
    public async Task Known_keys_stay_cached_through_a_flood_of_unknown_ones()
    {
        using var cache = Cache(1000);
        var known = Enumerable.Range(0, 50).Select(i => (Hash: ApiKeySecret.Hash($"known-{i}"), Identity: new ApiKeyIdentity(i, "p1", "vgl_known"))).ToList();
        foreach (var (hash, identity) in known) cache.Set(hash, identity);
        for (var i = 0; i < 20_000; i++) cache.Set(ApiKeySecret.Hash(ApiKeySecret.Generate()), null);
        await WaitForCompactionAsync(cache, 1000);
        Assert.All(known, k => Assert.True(cache.TryGet(k.Hash, out var id) && id == k.Identity));
    }

    [Fact]
    public void An_unknown_key_is_a_hit_until_invalidated_and_clear_forgets_everything()
    {
        using var cache = Cache();
        cache.Set("unknown", null);
        Assert.True(cache.TryGet("unknown", out var none));
        Assert.Null(none);
        cache.Invalidate("unknown");
        Assert.False(cache.TryGet("unknown", out _));

        cache.Set("known", new ApiKeyIdentity(1, "p1", "vgl_x"));
        cache.Clear();
        Assert.False(cache.TryGet("known", out _));
    }

    [Fact]
    public async Task Unknown_keys_authenticated_through_the_service_stay_within_the_bound()
    {
        await using var host = await CoreTestHost.StartAsync(new() { ["Vigil:ApiKeys:CacheEntries"] = "200" });
        var projects = host.Get<ProjectService>();
        for (var i = 0; i < 2_000; i++) Assert.Null(await projects.AuthenticateAsync(ApiKeySecret.Generate()));
        var cache = host.Get<ApiKeyCache>();
        await WaitForCompactionAsync(cache, 200);
        Assert.InRange(cache.Count, 1, 200);
    }

    [Fact]
    public async Task A_key_created_after_its_secret_was_looked_up_as_unknown_works_at_once()
    {
        await using var host = await CoreTestHost.StartAsync();
        var projects = host.Get<ProjectService>();
        const string configured = "vgl_configured_later_0123456789";
        Assert.Null(await projects.AuthenticateAsync(configured)); // cached as unknown
        await projects.EnsureInitialProjectAsync(new InitOptions { ProjectId = "later", ApiKey = configured });
        Assert.Equal("later", (await projects.AuthenticateAsync(configured))?.ProjectId);
    }
}
