using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Replay;
using Vigil.Core.Audit;
using Vigil.Web.Api;
using Vigil.Web.Audit;
using Vigil.Web.Auth;

namespace Vigil.Web.Replay;

/// <summary>A project's replay provider settings. Keys go in, never out: answers say only whether a key is configured.</summary>
public static class ProviderSettingsEndpoints
{
    public static RouteGroupBuilder MapProviderSettings(this RouteGroupBuilder group)
    {
        group.MapGet("/", GetAsync).WithName("GetProjectProviders").WithSummary("Replay provider settings (configured flags, never keys)");
        group.MapPut("/", PutAsync).WithName("PutProjectProviders").WithSummary("Set replay provider base URLs and keys (keys encrypted at rest)").DisableAntiforgery();
        return group;
    }

    private static async Task<Results<Ok<ProvidersResponse>, ProblemHttpResult>> GetAsync(string projectId, HttpContext http, ProviderSettingsService service, CancellationToken ct)
    {
        if (!http.User.MayManage(projectId)) return ApiProblems.NotFound($"Project '{projectId}' was not found.");
        var status = await service.GetAsync(projectId, ct);
        return status is null ? ApiProblems.NotFound($"Project '{projectId}' was not found.") : TypedResults.Ok(ProvidersResponse.From(status));
    }

    private static async Task<Results<Ok<ProvidersResponse>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string projectId, ProvidersRequest body, HttpContext http, ProviderSettingsService service, AuditLog audit, CancellationToken ct)
    {
        // Another project's id answers exactly like a missing one.
        if (!http.User.MayManage(projectId)) return ApiProblems.NotFound($"Project '{projectId}' was not found.");
        var errors = new Dictionary<string, string[]>();
        Check(body.Openai, "openai", errors);
        Check(body.Anthropic, "anthropic", errors);
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        var status = await service.UpdateAsync(projectId,
            body.Openai is { } o ? new ProviderSettingsUpdate(o.BaseUrl, o.ApiKey) : null,
            body.Anthropic is { } a ? new ProviderSettingsUpdate(a.BaseUrl, a.ApiKey) : null, ct);
        if (status is null) return ApiProblems.NotFound($"Project '{projectId}' was not found.");
        await audit.RecordAsync(Actors.From(http), AuditActions.ProviderUpdate, projectId, projectId, Describe(body), ct);
        return TypedResults.Ok(ProvidersResponse.From(status));
    }

    /// <summary>What changed, never a key: "openai: base URL, key set; anthropic: key removed".</summary>
    internal static string Describe(string provider, string? baseUrl, string? apiKey)
    {
        var parts = new List<string>();
        if (baseUrl is not null) parts.Add(baseUrl.Length == 0 ? "base URL removed" : $"base URL {baseUrl}");
        if (apiKey is not null) parts.Add(apiKey.Length == 0 ? "key removed" : "key set");
        return $"{provider}: {(parts.Count == 0 ? "unchanged" : string.Join(", ", parts))}";
    }

    private static string Describe(ProvidersRequest body) => string.Join("; ",
        new[] { ("openai", body.Openai), ("anthropic", body.Anthropic) }.Where(p => p.Item2 is not null)
            .Select(p => Describe(p.Item1, p.Item2!.BaseUrl, p.Item2.ApiKey)));

    private static void Check(ProviderSettingsDto? p, string name, Dictionary<string, string[]> errors)
    {
        if (p is null) return;
        if (!string.IsNullOrWhiteSpace(p.BaseUrl) && !ProviderEndpointOptions.IsHttpUrl(p.BaseUrl.Trim()))
            errors[$"{name}.base_url"] = ["must be an absolute http(s) URL"];
        if (p.ApiKey is { Length: > 512 }) errors[$"{name}.api_key"] = ["is longer than 512 characters"];
    }
}
