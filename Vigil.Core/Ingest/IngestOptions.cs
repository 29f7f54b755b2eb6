using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Ingest;

/// <summary>Bound from <c>Vigil:Ingest</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "Vigil:Ingest";

    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    [Range(1, 100_000)]
    public int MaxSpansPerBatch { get; set; } = 1000;

    [Range(2, 1000)]
    public int MaxJsonDepth { get; set; } = 64;

    [Range(1024, 64L * 1024 * 1024)]
    public int MaxFieldBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// POST /v1/traces requests handled at once; more answer 503 with Retry-After so exporters back off instead of
    /// piling up behind the single SQLite writer.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxConcurrentRequests { get; set; } = 64;

    /// <summary>
    /// How long what OTLP log records said about a span is kept after its last update: logs that arrive before their span
    /// wait this long for it, and a span sent again within it gets them folded in again.
    /// </summary>
    [Range(1, 7 * 24 * 60)]
    public int PendingLogMinutes { get; set; } = 10;
}

[OptionsValidator]
public sealed partial class IngestOptionsValidator : IValidateOptions<IngestOptions>;
