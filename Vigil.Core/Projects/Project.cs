namespace Vigil.Core.Projects;

/// <summary>A tenant: every trace, span and key belongs to exactly one project.</summary>
public sealed class Project
{
    /// <summary>Slug, e.g. "default" or "my-project".</summary>
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public long CreatedAtUs { get; set; }

    // Drift settings (see DESIGN.md "Drift"); null means "use the server default".
    public bool DriftEnabled { get; set; } = true;
    public int? DriftIntervalMinutes { get; set; }
    public int? DriftBaselineHours { get; set; }
    public int? DriftCurrentHours { get; set; }
    /// <summary>quantile | equal_width.</summary>
    public string? DriftBinning { get; set; }
    /// <summary>kind | kind_name | kind_model.</summary>
    public string? DriftGroupBy { get; set; }

    // Replay provider settings. Keys are encrypted with ASP.NET Core Data Protection by the host before they get here.
    public string? OpenAiBaseUrl { get; set; }
    public string? OpenAiKeyProtected { get; set; }
    public string? AnthropicBaseUrl { get; set; }
    public string? AnthropicKeyProtected { get; set; }
    /// <summary>Comma-separated model names offered first in the replay panel.</summary>
    public string? DefaultReplayModels { get; set; }
}
