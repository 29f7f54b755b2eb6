using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Retention;

/// <summary>Bound from <c>Vigil:Retention</c>.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Vigil:Retention";

    /// <summary>Delete traces that ended more than this many days ago, in projects without a setting of their own. Unset: keep forever.</summary>
    [Range(1, 36_500)]
    public int? Days { get; set; }

    /// <summary>How often the background job applies every project's retention.</summary>
    [Range(1, 10_080)]
    public int IntervalMinutes { get; set; } = 60;

    /// <summary>
    /// The time one deletion batch aims to hold the writer (SQLite has one): batches grow or shrink to stay near it, so
    /// ingest waits about this long at most, and never much more than twice it.
    /// </summary>
    [Range(1, 1000)]
    public int BatchMilliseconds { get; set; } = 25;
}

[OptionsValidator]
public sealed partial class RetentionOptionsValidator : IValidateOptions<RetentionOptions>;
