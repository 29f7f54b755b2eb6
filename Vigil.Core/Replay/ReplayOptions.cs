using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Replay;

/// <summary>Bound from <c>Vigil:Replay</c>: server-wide provider endpoints and keys (a project's own keys win), limits.</summary>
public sealed class ReplayOptions : IValidatableObject
{
    public const string Section = "Vigil:Replay";

    public ProviderEndpointOptions OpenAI { get; set; } = new();
    public ProviderEndpointOptions Anthropic { get; set; } = new();

    /// <summary>Per provider call, including the client's own retries.</summary>
    [Range(0.01, 3600)]
    public double TimeoutSeconds { get; set; } = 120;

    /// <summary>Retries the official clients make on 429/5xx/timeouts before a span is marked failed.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>Confirmed runs waiting for the worker; confirming beyond it answers an error instead of queueing forever.</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 100;

    /// <summary>
    /// How long an instance's claim on a running replay holds without renewal (it renews every third of it while
    /// alive). After it, another instance takes the run over (<see cref="MaxAttempts"/>) or fails it.
    /// </summary>
    [Range(1, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>
    /// How many instances may start one run. 1 (default): a run whose instance died is failed with a clear error (its
    /// provider calls may have been billed already); 2 or more: it is started again from the first span.
    /// </summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 1;

    /// <summary>How often an idle worker looks for runs confirmed on other instances and for expired leases.</summary>
    [Range(0.05, 300)]
    public double PollSeconds { get; set; } = 2;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, p) in new[] { ("OpenAI", OpenAI), ("Anthropic", Anthropic) })
            if (!string.IsNullOrEmpty(p.BaseUrl) && !ProviderEndpointOptions.IsHttpUrl(p.BaseUrl))
                yield return new ValidationResult($"{Section}:{name}:BaseUrl must be an absolute http(s) URL.", [$"{name}.BaseUrl"]);
    }
}

public sealed class ProviderEndpointOptions
{
    public string? BaseUrl { get; set; }
    public string? ApiKey { get; set; }

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);
}

[OptionsValidator]
public sealed partial class ReplayOptionsValidator : IValidateOptions<ReplayOptions>;
