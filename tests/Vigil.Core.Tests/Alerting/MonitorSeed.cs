using System.Globalization;
using System.Text;

namespace Vigil.Core.Tests.Alerting;

/// <summary>Native ingest of spans at explicit times, with the typed fields monitors read.</summary>
internal static class MonitorSeed
{
    public sealed record S(DateTimeOffset Start, double DurationMs = 100, string Status = "ok", string Kind = "llm", string Name = "chat",
        string? Model = null, long? InputTokens = null, long? OutputTokens = null, double? CostUsd = null);

    public static async Task IngestAsync(CoreTestHost host, IEnumerable<S> spans, string project = "p1")
    {
        foreach (var chunk in spans.Chunk(500))
        {
            var sb = new StringBuilder("{\"spans\":[");
            for (var i = 0; i < chunk.Length; i++)
            {
                var s = chunk[i];
                if (i > 0) sb.Append(',');
                var id = Guid.NewGuid().ToString("N");
                sb.Append(CultureInfo.InvariantCulture, $"{{\"span_id\":\"{id}\",\"trace_id\":\"t-{id}\",\"name\":\"{s.Name}\",\"kind\":\"{s.Kind}\",\"status\":\"{s.Status}\"")
                  .Append(CultureInfo.InvariantCulture, $",\"start_time\":\"{s.Start.UtcDateTime:O}\",\"end_time\":\"{s.Start.AddMilliseconds(s.DurationMs).UtcDateTime:O}\"");
                if (s.Model is not null) sb.Append(CultureInfo.InvariantCulture, $",\"model\":\"{s.Model}\"");
                if (s.InputTokens is not null) sb.Append(CultureInfo.InvariantCulture, $",\"usage\":{{\"input_tokens\":{s.InputTokens},\"output_tokens\":{s.OutputTokens ?? 0}}}");
                if (s.CostUsd is not null) sb.Append(CultureInfo.InvariantCulture, $",\"cost_usd\":{s.CostUsd}");
                sb.Append('}');
            }
            sb.Append("]}");
            var result = await host.IngestJsonAsync(sb.ToString(), project);
            Assert.True(result.Errors.Count == 0, string.Join("; ", result.Errors));
        }
    }
}
