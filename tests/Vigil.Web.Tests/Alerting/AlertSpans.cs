using System.Globalization;
using System.Text;

namespace Vigil.Web.Tests.Alerting;

/// <summary>Native ingest batches of spans that started moments ago (monitors read the last minutes).</summary>
internal static class AlertSpans
{
    public static string Batch(int ok, int errors, string kind = "llm", double secondsAgo = 5, double durationMs = 120)
    {
        var sb = new StringBuilder("{\"spans\":[");
        var start = DateTimeOffset.UtcNow.AddSeconds(-secondsAgo);
        for (var i = 0; i < ok + errors; i++)
        {
            if (i > 0) sb.Append(',');
            var id = Guid.NewGuid().ToString("N");
            var status = i < errors ? "error" : "ok";
            sb.Append(CultureInfo.InvariantCulture,
                $"{{\"span_id\":\"{id}\",\"trace_id\":\"t-{id}\",\"name\":\"{kind}-call\",\"kind\":\"{kind}\",\"status\":\"{status}\",\"start_time\":\"{start.UtcDateTime:O}\",\"end_time\":\"{start.AddMilliseconds(durationMs).UtcDateTime:O}\"}}");
        }
        return sb.Append("]}").ToString();
    }
}
