using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Vigil.Bench.Scale;

/// <summary>Times one read path: a warm call, then <c>runs</c> timed calls (body read to the end); p50 and p95 by nearest rank.</summary>
public sealed class ReadTimer(HttpClient http, int runs, string only = "")
{
    public readonly List<string> Rows = [];

    /// <summary>Times GET/POST <paramref name="path"/>; <paramref name="vary"/> gives the path of call i when it changes per call.</summary>
    public async Task TimeAsync(string label, string path, HttpMethod? method = null, Func<int, string>? vary = null, string? body = null)
    {
        if (only.Length > 0 && !label.Contains(only, StringComparison.OrdinalIgnoreCase)) return;
        method ??= HttpMethod.Get;
        var times = new double[runs];
        string note = "";
        for (var i = -1; i < runs; i++)
        {
            var t = Stopwatch.GetTimestamp();
            using var request = new HttpRequestMessage(method, vary?.Invoke(i + 1) ?? path);
            if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var text = await response.Content.ReadAsStringAsync();
            var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                var line = $"| {label} | n/a | n/a | {(int)response.StatusCode} {(response.StatusCode == HttpStatusCode.NotFound ? "(no such endpoint)" : Clip(text))} |";
                Rows.Add(line);
                Console.WriteLine(line);
                return;
            }
            if (i >= 0) times[i] = ms;
            else note = Summary(text);
        }
        Array.Sort(times);
        var row = string.Create(CultureInfo.InvariantCulture, $"| {label} | {Pct(times, 0.50):0.0} | {Pct(times, 0.95):0.0} | {note} |");
        Rows.Add(row);
        Console.WriteLine(row);
    }

    public static double Pct(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>What the warm call answered, briefly: a list's total, or the body size.</summary>
    private static string Summary(string body)
    {
        var i = body.IndexOf("\"total\":", StringComparison.Ordinal);
        if (i >= 0)
        {
            var end = body.IndexOfAny([',', '}'], i + 8);
            var exact = body.Contains("\"total_exact\":false", StringComparison.Ordinal) ? "+" : "";
            return "total " + body[(i + 8)..end] + exact;
        }
        return $"{body.Length:N0} chars";
    }

    private static string Clip(string s) => s.Length <= 80 ? s.ReplaceLineEndings(" ") : s[..80].ReplaceLineEndings(" ") + "…";
}
