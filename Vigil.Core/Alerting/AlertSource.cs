namespace Vigil.Core.Alerting;

/// <summary>Where an alert comes from; channels filter on it (a test message always passes).</summary>
public static class AlertSource
{
    public const string Drift = "drift";
    public const string Monitor = "monitor";
    public const string Test = "test";

    /// <summary>What a channel may filter on.</summary>
    public static readonly IReadOnlyList<string> Filterable = [Drift, Monitor];
}
