namespace Vigil.Web.Charts;

/// <summary>One line of a time chart: a label and its points (UTC times, values); null values are gaps and skipped.</summary>
public sealed record TimeSeries(string Label, IReadOnlyList<DateTime> Times, IReadOnlyList<double?> Values);
