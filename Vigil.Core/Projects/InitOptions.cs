namespace Vigil.Core.Projects;

/// <summary>Bound from <c>Vigil:Init</c>: headless first start (env <c>Vigil__Init__ProjectId</c>, <c>Vigil__Init__ApiKey</c>).</summary>
public sealed class InitOptions
{
    public const string Section = "Vigil:Init";

    public string? ProjectId { get; set; }
    public string? ProjectName { get; set; }
    public string? ApiKey { get; set; }

    public IEnumerable<string> Validate()
    {
        if (ApiKey is not null && string.IsNullOrEmpty(ProjectId))
            yield return "Vigil:Init:ApiKey is set but Vigil:Init:ProjectId is not; set both.";
        if (!string.IsNullOrEmpty(ProjectId) && !ProjectSlug.IsValid(ProjectId))
            yield return $"Vigil:Init:ProjectId '{ProjectId}' is not a valid project id ({ProjectSlug.Rule}).";
        if (ApiKey is { Length: < 16 })
            yield return "Vigil:Init:ApiKey must be at least 16 characters.";
    }
}
