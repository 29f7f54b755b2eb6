using System.Globalization;

namespace Vigil.Bench.Soak;

/// <summary>The server process's resident memory (VmRSS) and CPU time, read from /proc every few seconds.</summary>
public sealed class MemorySampler(int pid)
{
    public sealed record Sample(double Minute, double RssMb, double CpuSeconds, string LoadAverage);

    public List<Sample> Samples { get; } = [];

    public async Task RunAsync(DateTime start, TimeSpan every, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            do
            {
                if (ReadRssMb() is not { } rss) return; // the server is gone: the run reports it
                lock (Samples) Samples.Add(new Sample((DateTime.UtcNow - start).TotalMinutes, rss, ReadCpuSeconds(), Live.LiveLatency.LoadAverage()));
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) { }
    }

    public double? ReadRssMb()
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path)) return null;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>User + system CPU seconds of the process (fields 14 and 15 of /proc/pid/stat, in clock ticks of 1/100 s).</summary>
    private double ReadCpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Mean RSS over the samples taken in minute [<paramref name="from"/>, <paramref name="from"/> + 1).</summary>
    public double MeanRssInMinute(double from)
    {
        lock (Samples)
        {
            var inMinute = Samples.Where(s => s.Minute >= from && s.Minute < from + 1).ToList();
            return inMinute.Count == 0 ? double.NaN : inMinute.Average(s => s.RssMb);
        }
    }
}
