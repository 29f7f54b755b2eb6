using Vigil.Core.Traces;

namespace Vigil.Web.Tests.Dashboard;

/// <summary>Builds span rows for dashboard tests; times are milliseconds after a fixed origin.</summary>
internal static class Spans
{
    public const long OriginUs = 1_800_000_000_000_000;
    public static SpanRecord Make(string id, string? parent, double startMs, double? endMs, string kind = "custom", string status = "ok",
        string? name = null, string? input = null, string? output = null, string? metadata = null, string? events = null) => new()
    {
        Id = (long)(startMs * 1000), // storage order follows start time here; equal starts keep list order (stable sort)
        ProjectId = "p",
        TraceId = "t",
        SpanId = id,
        ParentSpanId = parent,
        Name = name ?? id,
        Kind = kind,
        Status = status,
        StartTimeUs = OriginUs + (long)(startMs * 1000),
        EndTimeUs = endMs is { } e ? OriginUs + (long)(e * 1000) : null,
        DurationMs = endMs - startMs,
        Input = input,
        Output = output,
        Metadata = metadata,
        Events = events,
    };
}
