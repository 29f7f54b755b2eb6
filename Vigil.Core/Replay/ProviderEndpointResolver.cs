using Microsoft.Extensions.Options;
using Vigil.Core.Projects;
using Vigil.Core.Replay.Providers;

namespace Vigil.Core.Replay;

/// <summary>Where a project's replay calls go: the project's own base URL and key win over the server configuration.</summary>
public sealed class ProviderEndpointResolver(IOptions<ReplayOptions> options, IProviderKeyProtector protector)
{
    public ProviderEndpoint Resolve(Project project, string provider)
    {
        var (config, projectUrl, projectKey) = provider == ProviderNames.Anthropic
            ? (options.Value.Anthropic, project.AnthropicBaseUrl, project.AnthropicKeyProtected)
            : (options.Value.OpenAI, project.OpenAiBaseUrl, project.OpenAiKeyProtected);
        var baseUrl = NullIfEmpty(projectUrl) ?? NullIfEmpty(config.BaseUrl);
        var key = projectKey is { Length: > 0 } ? protector.Unprotect(projectKey) : NullIfEmpty(config.ApiKey);
        return new ProviderEndpoint(baseUrl, key);
    }

    /// <summary>Where the key comes from: project | config | null (none).</summary>
    public string? KeySource(Project project, string provider)
    {
        var (config, projectKey) = provider == ProviderNames.Anthropic
            ? (options.Value.Anthropic, project.AnthropicKeyProtected)
            : (options.Value.OpenAI, project.OpenAiKeyProtected);
        return projectKey is { Length: > 0 } ? "project" : NullIfEmpty(config.ApiKey) is not null ? "config" : null;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
