using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Projects;

/// <summary>
/// Bound from <c>Vigil:Init</c>: headless first start (env <c>Vigil__Init__ProjectId</c>, <c>Vigil__Init__ApiKey</c>,
/// <c>Vigil__Init__AdminEmail</c>, <c>Vigil__Init__AdminPassword</c>, <c>Vigil__Init__AdminApiKey</c>).
/// </summary>
public sealed class InitOptions : IValidatableObject
{
    public const string Section = "Vigil:Init";

    public string? ProjectId { get; set; }
    public string? ProjectName { get; set; }
    public string? ApiKey { get; set; }

    /// <summary>With <see cref="AdminPassword"/>: the admin account made sure of on every start.</summary>
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
    /// <summary>An organisation-level automation key accepted by admin endpoints (not tied to a project).</summary>
    public string? AdminApiKey { get; set; }

    public const int MinPasswordLength = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => Validate().Select(e => new ValidationResult(e));

    public IEnumerable<string> Validate()
    {
        if (ApiKey is not null && string.IsNullOrEmpty(ProjectId))
            yield return "Vigil:Init:ApiKey is set but Vigil:Init:ProjectId is not; set both.";
        if (!string.IsNullOrEmpty(ProjectId) && !ProjectSlug.IsValid(ProjectId))
            yield return $"Vigil:Init:ProjectId '{ProjectId}' is not a valid project id ({ProjectSlug.Rule}).";
        if (ApiKey is { Length: < 16 })
            yield return "Vigil:Init:ApiKey must be at least 16 characters.";
        if (string.IsNullOrEmpty(AdminEmail) != string.IsNullOrEmpty(AdminPassword))
            yield return "Vigil:Init:AdminEmail and Vigil:Init:AdminPassword must be set together.";
        if (!string.IsNullOrEmpty(AdminEmail) && !AdminEmail.Contains('@'))
            yield return "Vigil:Init:AdminEmail must be an e-mail address.";
        if (AdminPassword is { Length: > 0 and < MinPasswordLength })
            yield return $"Vigil:Init:AdminPassword must be at least {MinPasswordLength} characters.";
        if (AdminApiKey is { Length: < 16 })
            yield return "Vigil:Init:AdminApiKey must be at least 16 characters.";
        if (AdminApiKey is not null && AdminApiKey == ApiKey)
            yield return "Vigil:Init:AdminApiKey must differ from Vigil:Init:ApiKey.";
    }
}

[OptionsValidator]
public sealed partial class InitOptionsValidator : IValidateOptions<InitOptions>;
