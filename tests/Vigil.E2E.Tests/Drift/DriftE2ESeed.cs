using System.Globalization;
using System.Text;

namespace Vigil.E2E.Tests.Drift;

/// <summary>Native ingest JSON: 50 steady spans per kind over the 24 h baseline and 20 in the last hour, llm 3× slower there.</summary>
internal static class DriftE2ESeed
{
    public static string SlowLlmHour(DateTimeOffset now)
    {
        var sb = new StringBuilder("{\"spans\":[");
        var first = true;
        var currentStart = now.AddHours(-1);
        foreach (var kind in new[] { "llm", "tool" })
        {
            for (var i = 0; i < 50; i++) Append(kind, currentStart.AddHours(-24).AddMinutes(i * 28.8 + 1), 100 + (i % 10) * 2);
            for (var i = 0; i < 20; i++) Append(kind, currentStart.AddMinutes(i * 2.5 + 0.5), (100 + (i % 10) * 2) * (kind == "llm" ? 3 : 1));
        }
        return sb.Append("]}").ToString();

        void Append(string kind, DateTimeOffset start, double ms)
        {
            if (!first) sb.Append(',');
            first = false;
            var id = Guid.NewGuid().ToString("N");
            sb.Append(CultureInfo.InvariantCulture,
                $"{{\"span_id\":\"{id}\",\"trace_id\":\"drift-{id}\",\"name\":\"{kind}-op\",\"kind\":\"{kind}\",\"status\":\"ok\",\"start_time\":\"{start.UtcDateTime:O}\",\"end_time\":\"{start.AddMilliseconds(ms).UtcDateTime:O}\"}}");
        }
    }
}
