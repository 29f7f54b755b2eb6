using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vigil.Core.Replay.Providers;
using Vigil.Core.Storage;

namespace Vigil.Core.Replay;

/// <summary>A change to one provider's settings: null leaves a field as it is, an empty string clears it.</summary>
public sealed record ProviderSettingsUpdate(string? BaseUrl, string? ApiKey);

/// <summary>What callers may know about a provider's settings: never the key, only whether one is available and from where.</summary>
public sealed record ProviderStatus(string? BaseUrl, bool Configured, string? KeySource);

/// <summary>A project's replay provider settings; keys are encrypted before they reach the database.</summary>
public sealed class ProviderSettingsService(
    IDbContextFactory<VigilDbContext> dbFactory,
    WriteGate writeGate,
    IProviderKeyProtector protector,
    ProviderEndpointResolver resolver,
    ILogger<ProviderSettingsService> logger)
{
    public async Task<IReadOnlyDictionary<string, ProviderStatus>?> GetAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, ct);
        return project is null ? null : Status(project);
    }

    public async Task<IReadOnlyDictionary<string, ProviderStatus>?> UpdateAsync(
        string projectId, ProviderSettingsUpdate? openAi, ProviderSettingsUpdate? anthropic, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        var project = await db.Projects.FirstOrDefaultAsync(p => p.Id == projectId, ct);
        if (project is null) return null;
        if (openAi is not null)
        {
            if (openAi.BaseUrl is not null) project.OpenAiBaseUrl = Empty(openAi.BaseUrl);
            if (openAi.ApiKey is not null) project.OpenAiKeyProtected = Empty(openAi.ApiKey) is { } k ? protector.Protect(k) : null;
        }
        if (anthropic is not null)
        {
            if (anthropic.BaseUrl is not null) project.AnthropicBaseUrl = Empty(anthropic.BaseUrl);
            if (anthropic.ApiKey is not null) project.AnthropicKeyProtected = Empty(anthropic.ApiKey) is { } k ? protector.Protect(k) : null;
        }
        await db.SaveChangesAsync(ct);
        // Which settings changed, never their values.
        logger.LogInformation("Updated replay provider settings of {ProjectId} (openai: {OpenAi}, anthropic: {Anthropic})",
            projectId, openAi is not null, anthropic is not null);
        return Status(project);
    }

    private Dictionary<string, ProviderStatus> Status(Projects.Project p)
    {
        var result = new Dictionary<string, ProviderStatus>();
        foreach (var (name, url) in new[] { (ProviderNames.OpenAI, p.OpenAiBaseUrl), (ProviderNames.Anthropic, p.AnthropicBaseUrl) })
        {
            var source = resolver.KeySource(p, name);
            result[name] = new ProviderStatus(url ?? resolver.Resolve(WithoutKeys(p), name).BaseUrl, source is not null, source);
        }
        return result;
    }

    // Resolving the base URL must not decrypt the key.
    private static Projects.Project WithoutKeys(Projects.Project p) => new()
    {
        Id = p.Id, Name = p.Name, OpenAiBaseUrl = p.OpenAiBaseUrl, AnthropicBaseUrl = p.AnthropicBaseUrl,
    };

    private static string? Empty(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
