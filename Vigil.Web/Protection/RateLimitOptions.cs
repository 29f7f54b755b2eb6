using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Vigil.Web.Protection;

/// <summary>A fixed window: at most <see cref="PermitLimit"/> requests per <see cref="WindowSeconds"/>.</summary>
public sealed class RateLimitWindow
{
    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; }
}

/// <summary>
/// Bound from <c>Vigil:RateLimits</c>. The defaults are generous on purpose: they stop floods, not benchmarks or test suites.
/// </summary>
public sealed class RateLimitOptions : IValidatableObject
{
    public const string Section = "Vigil:RateLimits";

    public bool Enabled { get; set; } = true;
    /// <summary>Ingest (<c>POST /v1/traces</c>, <c>/v1/logs</c>, OTLP/gRPC) per API key.</summary>
    public RateLimitWindow IngestPerKey { get; set; } = new() { PermitLimit = 5_000, WindowSeconds = 10 };
    /// <summary>Ingest per client IP, whatever the key (also bounds a flood of made-up keys).</summary>
    public RateLimitWindow IngestPerIp { get; set; } = new() { PermitLimit = 20_000, WindowSeconds = 10 };
    /// <summary>Sign-in and first-run setup posts per client IP (lockout protects each account; this protects the server).</summary>
    public RateLimitWindow SignInPerIp { get; set; } = new() { PermitLimit = 60, WindowSeconds = 60 };
    /// <summary>
    /// Failed API key lookups (unknown or revoked keys) per client IP; past it, keys the server has not just seen valid are
    /// answered 429 without a lookup, so guessing keys costs the guesser, not the database.
    /// </summary>
    public RateLimitWindow FailedKeyPerIp { get; set; } = new() { PermitLimit = 100, WindowSeconds = 60 };

    /// <summary>Errors naming the bad setting, for start-up validation.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => Validate().Select(e => new ValidationResult(e));

    public IEnumerable<string> Validate()
    {
        foreach (var (name, w) in new[] { ("IngestPerKey", IngestPerKey), ("IngestPerIp", IngestPerIp), ("SignInPerIp", SignInPerIp), ("FailedKeyPerIp", FailedKeyPerIp) })
        {
            if (w.PermitLimit < 1) yield return $"{Section}:{name}:PermitLimit must be at least 1.";
            if (w.WindowSeconds is < 1 or > 86_400) yield return $"{Section}:{name}:WindowSeconds must be between 1 and 86400.";
        }
    }
}

[OptionsValidator]
public sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;
