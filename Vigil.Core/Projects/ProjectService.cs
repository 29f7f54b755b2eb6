using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vigil.Core.Storage;

namespace Vigil.Core.Projects;

/// <summary>Projects and their API keys: create, authenticate, rotate.</summary>
public sealed class ProjectService(
    IDbContextFactory<VigilDbContext> dbFactory, WriteGate writeGate, ApiKeyCache keyCache, IKeyCacheBroadcast broadcast, TimeProvider time,
    ILogger<ProjectService> logger)
{
    /// <summary>While other instances' key changes may go unheard (their bus is away): short enough to keep "revoked within 2 s".</summary>
    private static readonly TimeSpan UnreliableCacheFor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastUsedEvery = TimeSpan.FromMinutes(1);

    // One entry per key that ever authenticated (valid keys only), so bounded by the keys that exist.
    private readonly ConcurrentDictionary<long, DateTimeOffset> _lastUsedWritten = new();

    /// <summary>The identity of a valid key, or null. Lookups, unknown keys included, go through the bounded <see cref="ApiKeyCache"/>.</summary>
    public async Task<ApiKeyIdentity?> AuthenticateAsync(string secret, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 256) return null;
        var hash = ApiKeySecret.Hash(secret);
        if (!keyCache.TryGet(hash, out var identity))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash && k.RevokedAtUs == null, ct);
            identity = key is null ? null : new ApiKeyIdentity(key.Id, key.ProjectId, key.Prefix);
            keyCache.Set(hash, identity, broadcast.Reliable ? null : UnreliableCacheFor);
        }
        if (identity is not null) await TouchAsync(identity.KeyId, time.GetUtcNow(), ct);
        return identity;
    }

    /// <summary>Drops cached lookups of one key hash, or of every key (null): another instance changed keys.</summary>
    public void ForgetCachedKeys(string? hash)
    {
        if (hash is null) keyCache.Clear();
        else keyCache.Invalidate(hash);
    }

    /// <summary>After a committed key change: this instance's cache, then every other instance's.</summary>
    private void KeysChanged()
    {
        keyCache.Clear();
        broadcast.KeysChanged(null);
    }

    /// <summary>After one key was added (an "unknown" lookup of it may be cached here or elsewhere).</summary>
    private void KeyChanged(string hash)
    {
        keyCache.Invalidate(hash);
        broadcast.KeysChanged(hash);
    }

    /// <summary>True when the secret is a valid key already in the cache: answered without touching the database.</summary>
    public bool IsCachedValidKey(string secret) =>
        !string.IsNullOrEmpty(secret) && secret.Length <= 256 && keyCache.TryGet(ApiKeySecret.Hash(secret), out var identity) && identity is not null;

    /// <summary>
    /// Records the key's last use (at most once a minute). Best effort: a database that cannot take writes (full, locked,
    /// read-only) must not turn a valid key away, so reads keep working and writes answer their own 503.
    /// </summary>
    private async Task TouchAsync(long keyId, DateTimeOffset now, CancellationToken ct)
    {
        if (_lastUsedWritten.TryGetValue(keyId, out var last) && now - last < LastUsedEvery) return;
        _lastUsedWritten[keyId] = now;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // Not the default 30 s of retrying a busy database: this runs on the request's path.
            db.Database.SetCommandTimeout(TimeSpan.FromSeconds(1));
            var us = UnixMicros.From(now);
            using var _ = await writeGate.EnterAsync(ct);
            await db.ApiKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAtUs, us), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _lastUsedWritten.TryRemove(keyId, out _); // try again on the next use
            logger.LogWarning(ex, "Could not record the last use of API key {KeyId}", keyId);
        }
    }

    public async Task<Project?> GetAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, ct);
    }

    public async Task<List<Project>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Projects.AsNoTracking().OrderBy(p => p.Id).ToListAsync(ct);
    }

    public async Task<List<ApiKey>> ListKeysAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiKeys.AsNoTracking().Where(k => k.ProjectId == projectId).OrderBy(k => k.Id).ToListAsync(ct);
    }

    /// <summary>
    /// Creates a project with one key; the secret is returned once and never stored. Throws
    /// <see cref="ProjectExistsException"/> when the id is taken (also when another request took it a moment earlier).
    /// </summary>
    public Task<(Project Project, string Secret)> CreateAsync(string id, string name, string? description, CancellationToken ct = default)
    {
        if (!ProjectSlug.IsValid(id)) throw new ArgumentException($"'{id}' is not a valid project id ({ProjectSlug.Rule}).", nameof(id));
        return CreateCoreAsync(_ => Task.FromResult(id), name, description, ct);
    }

    /// <summary>
    /// Creates a project whose id is derived from its name (<c>"Support bot"</c> → <c>support-bot</c>, then
    /// <c>support-bot-2</c>, ... when taken), as the original Vigil server's <c>POST /v1/projects {name, description}</c> did.
    /// </summary>
    public async Task<(Project Project, string Secret)> CreateFromNameAsync(string name, string? description, CancellationToken ct = default)
    {
        // The write gate keeps this process's creates apart only where it has one slot (SQLite); on PostgreSQL (or with
        // several instances) another create may take the chosen id first: then the next free one is chosen.
        for (var attempt = 1; ; attempt++)
        {
            try { return await CreateCoreAsync(db => FreeIdAsync(db, ProjectSlug.From(name), ct), name, description, ct); }
            catch (ProjectExistsException) when (attempt < 20) { }
        }
    }

    private async Task<(Project Project, string Secret)> CreateCoreAsync(
        Func<VigilDbContext, Task<string>> chooseId, string name, string? description, CancellationToken ct)
    {
        var secret = ApiKeySecret.Generate();
        var nowUs = UnixMicros.Now(time);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Choosing and inserting under the write gate: two requests of this process never pick the same id.
        using var _ = await writeGate.EnterAsync(ct);
        var id = await chooseId(db);
        if (await db.Projects.AnyAsync(p => p.Id == id, ct)) throw new ProjectExistsException(id);
        var project = new Project { Id = id, Name = name, Description = description, CreatedAtUs = nowUs };
        db.Projects.Add(project);
        db.ApiKeys.Add(NewKey(id, secret, "default", nowUs));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance took the id between the check and the insert.
            if (await ExistsAsync(id, ct)) throw new ProjectExistsException(id);
            throw;
        }
        KeyChanged(ApiKeySecret.Hash(secret));
        logger.LogInformation("Created project {ProjectId}", id);
        return (project, secret);
    }

    private async Task<bool> ExistsAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Projects.AnyAsync(p => p.Id == id, ct);
    }

    /// <summary><paramref name="slug"/> itself when free, else the first free <c>slug-N</c>.</summary>
    private static async Task<string> FreeIdAsync(VigilDbContext db, string slug, CancellationToken ct)
    {
        var prefix = slug + "-";
        var taken = (await db.Projects.AsNoTracking().Where(p => p.Id == slug || p.Id.StartsWith(prefix)).Select(p => p.Id).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        if (!taken.Contains(slug)) return slug;
        for (var n = 2; ; n++)
        {
            var candidate = prefix + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!taken.Contains(candidate)) return candidate;
        }
    }

    /// <summary>Adds a named key to a project; the secret is returned once and never stored.</summary>
    public async Task<(ApiKey Key, string Secret)> CreateKeyAsync(string projectId, string name, CancellationToken ct = default)
    {
        name = string.IsNullOrWhiteSpace(name) ? "key" : name.Trim();
        if (name.Length > 200) throw new ArgumentException("A key name has at most 200 characters.", nameof(name));
        var secret = ApiKeySecret.Generate();
        var key = NewKey(projectId, secret, name, UnixMicros.Now(time));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, ct)) throw new KeyNotFoundException($"Project '{projectId}' was not found.");
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        KeyChanged(key.Hash);
        logger.LogInformation("Created API key {Prefix}… ({Name}) for project {ProjectId}", key.Prefix, name, projectId);
        return (key, secret);
    }

    /// <summary>Revokes one key of the project; false when it does not exist (or belongs to another project).</summary>
    public async Task<bool> RevokeKeyAsync(string projectId, long keyId, CancellationToken ct = default)
    {
        var nowUs = UnixMicros.Now(time);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        int changed;
        using (await writeGate.EnterAsync(ct))
            changed = await db.ApiKeys.Where(k => k.Id == keyId && k.ProjectId == projectId && k.RevokedAtUs == null)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAtUs, nowUs), ct);
        // The authentication caches (here and on other instances) would accept a revoked key for a while otherwise.
        KeysChanged();
        if (changed > 0) logger.LogInformation("Revoked API key {KeyId} of project {ProjectId}", keyId, projectId);
        return changed > 0;
    }

    /// <summary>Revokes every key of the project (a deletion): from the next request on, none of them authenticates.</summary>
    public async Task RevokeAllKeysAsync(string projectId, CancellationToken ct = default)
    {
        var nowUs = UnixMicros.Now(time);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using (await writeGate.EnterAsync(ct))
            await db.ApiKeys.Where(k => k.ProjectId == projectId && k.RevokedAtUs == null).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAtUs, nowUs), ct);
        KeysChanged();
    }

    /// <summary>Drops cached key lookups (after keys changed outside this service, e.g. a project's rows were deleted).</summary>
    public void ForgetKeys() => KeysChanged();

    /// <summary>Revokes one key and issues a new one with the same name (returned once); null when the key is unknown.</summary>
    public async Task<(ApiKey Key, string Secret)?> RotateKeyAsync(string projectId, long keyId, CancellationToken ct = default)
    {
        string name;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId && k.ProjectId == projectId, ct);
            if (key is null) return null;
            name = key.Name;
        }
        await RevokeKeyAsync(projectId, keyId, ct);
        return await CreateKeyAsync(projectId, name, ct);
    }

    /// <summary>Revokes the project's active keys and issues a new one (returned once).</summary>
    public async Task<string> RotateKeyAsync(string projectId, CancellationToken ct = default)
    {
        var secret = ApiKeySecret.Generate();
        var nowUs = UnixMicros.Now(time);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.ApiKeys.Where(k => k.ProjectId == projectId && k.RevokedAtUs == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAtUs, nowUs), ct);
        db.ApiKeys.Add(NewKey(projectId, secret, "rotated", nowUs));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        KeysChanged();
        logger.LogInformation("Rotated the API key of project {ProjectId}", projectId);
        return secret;
    }

    /// <summary>
    /// Start-up: with <see cref="InitOptions.ProjectId"/> and <see cref="InitOptions.ApiKey"/> set, makes sure that project and
    /// key exist (idempotent). Otherwise, when there is no project at all, creates <c>default</c> and returns its new secret.
    /// </summary>
    public async Task<(string ProjectId, string? NewSecret)?> EnsureInitialProjectAsync(InitOptions init, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var nowUs = UnixMicros.Now(time);
        if (!string.IsNullOrEmpty(init.ProjectId))
        {
            if (!await db.Projects.AnyAsync(p => p.Id == init.ProjectId, ct))
                db.Projects.Add(new Project { Id = init.ProjectId, Name = init.ProjectName ?? init.ProjectId, CreatedAtUs = nowUs });
            if (init.ApiKey is { } configured)
            {
                var hash = ApiKeySecret.Hash(configured);
                var existing = await db.ApiKeys.FirstOrDefaultAsync(k => k.Hash == hash, ct);
                if (existing is null) db.ApiKeys.Add(NewKey(init.ProjectId, configured, "init", nowUs));
                else if (existing.ProjectId != init.ProjectId)
                    throw new InvalidOperationException("Vigil:Init:ApiKey already belongs to another project.");
                else existing.RevokedAtUs = null; // configuration is the source of truth for this key
                await db.SaveChangesAsync(ct);
                KeyChanged(hash);
            }
            await db.SaveChangesAsync(ct);
            return (init.ProjectId, null);
        }

        if (await db.Projects.AnyAsync(ct)) return null;
        var (project, secret) = await CreateAsync("default", "Default", "Created on first start", ct);
        return (project.Id, secret);
    }

    private static ApiKey NewKey(string projectId, string secret, string name, long nowUs) => new()
    {
        ProjectId = projectId,
        Name = name,
        Prefix = ApiKeySecret.Prefix(secret),
        Hash = ApiKeySecret.Hash(secret),
        CreatedAtUs = nowUs,
    };
}
