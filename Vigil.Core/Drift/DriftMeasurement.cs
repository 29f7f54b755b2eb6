namespace Vigil.Core.Drift;

/// <summary>One PSI value of one group and metric at one detection run: the "PSI over time" series.</summary>
public sealed class DriftMeasurement
{
    public long Id { get; set; }
    public required string ProjectId { get; set; }
    public required string SpanKind { get; set; }
    public string? SpanName { get; set; }
    public string? Model { get; set; }
    public required string Metric { get; set; }
    public double PsiScore { get; set; }
    public double BaselineValue { get; set; }
    public double CurrentValue { get; set; }
    public int BaselineCount { get; set; }
    public int CurrentCount { get; set; }
    public long MeasuredAtUs { get; set; }
}
