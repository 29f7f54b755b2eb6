namespace Vigil.Core.Tests.Drift;

/// <summary>Builds native ingest batches with explicit timestamps relative to a (fake) now.</summary>
internal static class DriftSeed
{
    public sealed record SeedSpan(string Kind, DateTimeOffset Start, double DurationMs, string Status = "ok", long? InputTokens = null, long? OutputTokens = null);

    /// <summary>
    /// For each kind: <paramref name="baselineCount"/> spans spread over the 24 h before the last hour and
    /// <paramref name="currentCount"/> in the last hour before <paramref name="now"/>. Latency cycles through 100..118 ms;
    /// kinds in <paramref name="slowKinds"/> are 3× slower in the current hour.
    /// </summary>
    public static List<SeedSpan> SteadyWithSlowCurrent(DateTimeOffset now, string[] kinds, string[] slowKinds, int baselineCount = 50, int currentCount = 20)
    {
        var spans = new List<SeedSpan>();
        var currentStart = now.AddHours(-1);
        foreach (var kind in kinds)
        {
            var llm = kind == "llm";
            for (var i = 0; i < baselineCount; i++)
                spans.Add(new(kind, currentStart.AddHours(-24).AddMinutes(i * (24.0 * 60 / baselineCount) + 1), 100 + (i % 10) * 2,
                    InputTokens: llm ? 100 + i % 10 : null, OutputTokens: llm ? 20 + i % 10 : null));
            for (var i = 0; i < currentCount; i++)
                spans.Add(new(kind, currentStart.AddMinutes(i * (60.0 / currentCount) + 0.5), (100 + (i % 10) * 2) * (slowKinds.Contains(kind) ? 3 : 1),
                    InputTokens: llm ? 100 + i % 10 : null, OutputTokens: llm ? 20 + i % 10 : null));
        }
        return spans;
    }

    public static Task IngestAsync(CoreTestHost host, IEnumerable<SeedSpan> spans, string project = "p1") =>
        Alerting.MonitorSeed.IngestAsync(host, spans.Select(s => new Alerting.MonitorSeed.S(s.Start, s.DurationMs, s.Status, s.Kind, s.Kind + "-op",
            s.InputTokens is null ? null : "test-model", s.InputTokens, s.OutputTokens)), project);
}
