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

    // Retention (see Retention/): traces that ended more than this many days ago are deleted; null = the server default.
    public int? RetentionDays { get; set; }
    /// <summary>Keep at most this many spans: beyond it, the oldest traces go first. Null = no limit.</summary>
    public long? RetentionMaxSpans { get; set; }

    /// <summary>Set when an admin deleted the project: its keys are revoked and its data is being deleted in batches.</summary>
    public long? DeletingSinceUs { get; set; }
    /// <summary>How many traces the project had when its deletion started (for progress).</summary>
    public long? DeletingTracesTotal { get; set; }
}
