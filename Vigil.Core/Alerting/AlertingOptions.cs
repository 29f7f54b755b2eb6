using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Alerting;

/// <summary>Monitors and delivery to channels, bound from <c>Vigil:Alerting</c>. Validated at start-up.</summary>
public sealed class AlertingOptions : IValidatableObject
{
    public const string Section = "Vigil:Alerting";

    /// <summary>Runs the monitor scheduler and the delivery sender. Off: monitors are not evaluated and nothing is sent.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often every monitor is evaluated.</summary>
    [Range(0.05, 3600)]
    public double EvaluationIntervalSeconds { get; set; } = 60;

    /// <summary>Default number of consecutive evaluations a new state must hold before a monitor changes state.</summary>
    [Range(1, 60)]
    public int Hysteresis { get; set; } = 2;

    /// <summary>
    /// Spans that started in the last this-many minutes are re-read at every evaluation (they may still be updated, e.g. a
    /// span sent when it starts and again when it ends); older minutes are kept as aggregates and only their new spans read.
    /// </summary>
    [Range(1, 120)]
    public int SettleMinutes { get; set; } = 10;

    /// <summary>How long a monitor's measured values are kept for its sparkline.</summary>
    [Range(1, 24 * 30)]
    public int SampleRetentionHours { get; set; } = 24;

    /// <summary>The dashboard's public address for links in messages (e.g. https://vigil.example.com). Empty: the server's own address.</summary>
    public string? DashboardUrl { get; set; }

    /// <summary>First retry delay; each further one doubles, up to <see cref="RetryMaxSeconds"/>.</summary>
    [Range(0.01, 3600)]
    public double RetryBaseSeconds { get; set; } = 10;

    /// <summary>Longest delay between two attempts (a receiver's Retry-After is honoured up to this).</summary>
    [Range(0.01, 24 * 3600)]
    public double RetryMaxSeconds { get; set; } = 1800;

    /// <summary>A delivery that has not succeeded this long after its alert is given up.</summary>
    [Range(0.001, 24 * 7)]
    public double RetryForHours { get; set; } = 24;

    /// <summary>One HTTP attempt's timeout.</summary>
    [Range(0.1, 300)]
    public double SendTimeoutSeconds { get; set; } = 10;

    /// <summary>How often the sender looks for due retries (new alerts wake it at once).</summary>
    [Range(0.01, 600)]
    public double PollSeconds { get; set; } = 5;

    /// <summary>Deliveries sent at once.</summary>
    [Range(1, 64)]
    public int SendParallelism { get; set; } = 4;

    /// <summary>How long the delivery log (and the outbox behind it) is kept.</summary>
    [Range(1, 365)]
    public int DeliveryLogDays { get; set; } = 14;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryMaxSeconds < RetryBaseSeconds)
            yield return new ValidationResult($"{Section}:RetryMaxSeconds must be at least RetryBaseSeconds", [nameof(RetryMaxSeconds)]);
        if (!string.IsNullOrWhiteSpace(DashboardUrl) && !IsHttpUrl(DashboardUrl))
            yield return new ValidationResult($"{Section}:DashboardUrl must be an absolute http(s) URL", [nameof(DashboardUrl)]);
    }

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) && !string.IsNullOrEmpty(u.Host);
}

[OptionsValidator]
public sealed partial class AlertingOptionsValidator : IValidateOptions<AlertingOptions>;
