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

    /// <summary>
    /// The largest SQLite text index (in MB) that a large deletion compacts right away. A merge step cannot be shorter
    /// than one term's postings: at 10M spans each step held the writer 125 ms–3.2 s (p50 285 ms), and the compaction
    /// would have taken hours. A larger index keeps the deleted rows as tombstones until its own merges drop them.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxCompactedIndexMegabytes { get; set; } = 1024;
}

[OptionsValidator]
public sealed partial class RetentionOptionsValidator : IValidateOptions<RetentionOptions>;
