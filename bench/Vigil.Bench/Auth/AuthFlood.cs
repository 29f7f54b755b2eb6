using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Vigil.Bench.Ingest;
using Vigil.Core.Projects;

namespace Vigil.Bench.Auth;

/// <summary>
/// Requests with made-up API keys against a running server (<c>--pid</c> is its process id, for its resident memory):
/// prints the server's RSS before, every 50,000 requests and after, and the answers by status. What an attacker guessing
/// keys, or a broken client cycling through them, does to the server.
/// </summary>
public static class AuthFlood
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new BenchArgs(argv);
        var url = a.String("url", "http://127.0.0.1:5000").TrimEnd('/');
        var pid = a.Int("pid", 0);
        var total = a.Int("requests", 200_000);
        var concurrency = a.Int("concurrency", 8);
        if (pid == 0) { Console.Error.WriteLine("--pid (the server's process id) is required"); return 1; }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(url) };
        // Warm-up: JIT, connection pool, the server's first allocations.
        await FloodAsync(http, 5_000, concurrency, new Dictionary<int, int>());
        await Task.Delay(2000);
        var before = RssMb(pid);
        Console.WriteLine($"auth-flood: {total:N0} requests with random keys, {concurrency} senders, {url}; server RSS before {before:N1} MB");

        var statuses = new Dictionary<int, int>();
        var peak = before;
        var clock = Stopwatch.StartNew();
        for (var done = 0; done < total; done += 50_000)
        {
            await FloodAsync(http, Math.Min(50_000, total - done), concurrency, statuses);
            var rss = RssMb(pid);
            peak = Math.Max(peak, rss);
            Console.WriteLine($"  after {Math.Min(done + 50_000, total):N0}: RSS {rss:N1} MB");
        }
        await Task.Delay(5000); // let the server's GC settle
        var after = RssMb(pid);
        var answers = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value:N0}"));
        Console.WriteLine($"result: RSS {before:N1} → {after:N1} MB (+{after - before:N1} MB, peak {peak:N1} MB) over {total:N0} random keys in {clock.Elapsed.TotalSeconds:N1} s; answers {answers}");
        return 0;
    }

    private static async Task FloodAsync(HttpClient http, int count, int concurrency, Dictionary<int, int> statuses)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/traces?limit=1");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKeySecret.Generate());
                using var response = await http.SendAsync(request);
                lock (statuses) statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
            }
        }));
    }

    /// <summary>Resident set size of a process, from /proc (Linux).</summary>
    public static double RssMb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        throw new InvalidOperationException($"No VmRSS for process {pid}");
    }
}
