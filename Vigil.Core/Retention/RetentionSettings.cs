namespace Vigil.Core.Retention;

/// <summary>
/// A project's retention: <see cref="Days"/> (null: the server default <see cref="DefaultDays"/>; 0: keep forever) and
/// <see cref="MaxSpans"/> (null: no limit).
/// </summary>
public sealed record RetentionSettings(int? Days, long? MaxSpans, int? DefaultDays)
{
    /// <summary>The days in force: the project's, else the default; null keeps forever.</summary>
    public int? EffectiveDays => Days switch { 0 => null, { } d => d, null => DefaultDays };

    public bool DeletesAnything => EffectiveDays is not null || MaxSpans is not null;
}

/// <summary>What one retention run (or a project deletion) deleted.</summary>
public sealed record RetentionResult(long DeletedTraces, long DeletedSpans);
