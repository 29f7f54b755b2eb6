using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Projects;

/// <summary>
/// API key lookups by secret hash, known keys and unknown ones, bounded in size (<see cref="ApiKeyCacheOptions.CacheEntries"/>)
/// and in time. A flood of made-up keys fills at most the bound, and evicts unknown entries first (low priority), so the
/// keys in real use stay cached. Every change to keys calls <see cref="Invalidate"/> or <see cref="Clear"/>: the one
/// place a multi-instance set-up has to broadcast.
/// </summary>
public sealed class ApiKeyCache : IDisposable
{
    private readonly MemoryCache _cache;
    private readonly TimeSpan _known;
    private readonly TimeSpan _unknown;

    public ApiKeyCache(IOptions<ApiKeyCacheOptions> options)
    {
        var o = options.Value;
        // Compaction frees a quarter of the entries when the bound is hit, so a flood does not compact on every insert.
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = o.CacheEntries, CompactionPercentage = 0.25 });
        _known = TimeSpan.FromSeconds(o.CacheSeconds);
        _unknown = TimeSpan.FromSeconds(o.UnknownCacheSeconds);
    }

    /// <summary>Entries held now (known and unknown keys).</summary>
    public int Count => _cache.Count;

    /// <summary>True when the hash was looked up recently; <paramref name="identity"/> is null for a key that does not exist.</summary>
    public bool TryGet(string hash, out ApiKeyIdentity? identity)
    {
        if (_cache.TryGetValue(hash, out Entry? entry) && entry is not null)
        {
            identity = entry.Identity;
            return true;
        }
        identity = null;
        return false;
    }

    /// <param name="atMost">A shorter lifetime than configured (another instance's changes may go unheard meanwhile).</param>
    public void Set(string hash, ApiKeyIdentity? identity, TimeSpan? atMost = null)
    {
        var lifetime = identity is null ? _unknown : _known;
        if (atMost < lifetime) lifetime = atMost.Value;
        if (lifetime <= TimeSpan.Zero) return;
        _cache.Set(hash, new Entry(identity), new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = lifetime,
            Priority = identity is null ? CacheItemPriority.Low : CacheItemPriority.High,
        });
    }

    /// <summary>Forgets one key (created, revoked or rotated).</summary>
    public void Invalidate(string hash) => _cache.Remove(hash);

    /// <summary>Forgets every key.</summary>
    public void Clear() => _cache.Clear();

    public void Dispose() => _cache.Dispose();

    /// <summary>A reference type, so "unknown" (null identity) is a cache hit rather than a miss.</summary>
    private sealed record Entry(ApiKeyIdentity? Identity);
}
