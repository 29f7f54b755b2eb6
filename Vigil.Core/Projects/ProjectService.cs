using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vigil.Core.Storage;

namespace Vigil.Core.Projects;

/// <summary>Projects and their API keys: create, authenticate, rotate.</summary>
public sealed class ProjectService(IDbContextFactory<VigilDbContext> dbFactory, WriteGate writeGate, TimeProvider time, ILogger<ProjectService> logger)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LastUsedEvery = TimeSpan.FromMinutes(1);

    // Authentication runs on every ingest request: cache hash → identity briefly; revoke and rotate clear it.
    private readonly ConcurrentDictionary<string, (ApiKeyIdentity? Identity, DateTimeOffset Until)> _cache = new();
    private readonly ConcurrentDictionary<long, DateTimeOffset> _lastUsedWritten = new();

    public async Task<ApiKeyIdentity?> AuthenticateAsync(string secret, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 256) return null;
        var hash = ApiKeySecret.Hash(secret);
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(hash, out var cached) || cached.Until < now)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash && k.RevokedAtUs == null, ct);
            cached = (key is null ? null : new ApiKeyIdentity(key.Id, key.ProjectId, key.Prefix), now + CacheFor);
            _cache[hash] = cached;
        }
        if (cached.Identity is { } id) await TouchAsync(id.KeyId, now, ct);
        return cached.Identity;
    }

    private async Task TouchAsync(long keyId, DateTimeOffset now, CancellationToken ct)
    {
        if (_lastUsedWritten.TryGetValue(keyId, out var last) && now - last < LastUsedEvery) return;
        _lastUsedWritten[keyId] = now;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var us = UnixMicros.From(now);
        using var _ = await writeGate.EnterAsync(ct);
        await db.ApiKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAtUs, us), ct);
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

    /// <summary>Creates a project with one key; the secret is returned once and never stored.</summary>
    public async Task<(Project Project, string Secret)> CreateAsync(string id, string name, string? description, CancellationToken ct = default)
    {
        if (!ProjectSlug.IsValid(id)) throw new ArgumentException($"'{id}' is not a valid project id ({ProjectSlug.Rule}).", nameof(id));
        var secret = ApiKeySecret.Generate();
        var nowUs = UnixMicros.Now(time);
        var project = new Project { Id = id, Name = name, Description = description, CreatedAtUs = nowUs };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        db.Projects.Add(project);
        db.ApiKeys.Add(NewKey(id, secret, "default", nowUs));
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Created project {ProjectId}", id);
        return (project, secret);
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
        // The authentication cache would accept a revoked key for up to CacheFor otherwise.
        _cache.Clear();
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
        _cache.Clear();
    }

    /// <summary>Drops cached key lookups (after keys changed outside this service, e.g. a project's rows were deleted).</summary>
    public void ForgetKeys() => _cache.Clear();

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
        _cache.Clear();
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
