namespace Vigil.Core.Drift;

/// <summary>
/// Reads the two drift windows as time slices on several connections at once and joins them back in time order: every
/// list then holds what one query over the window returns, in the same order, so PSI comes out bit for bit the same.
/// The provider supplies the per-connection reader.
/// </summary>
internal static class WindowSlices
{
    /// <summary>A reader of one connection; one thread uses it at a time.</summary>
    public interface IReader : IDisposable
    {
        Dictionary<DriftGroup, WindowSamples> Read(long fromUs, long toUs, CancellationToken ct);
    }

    public static async Task<(Dictionary<DriftGroup, WindowSamples> Baseline, Dictionary<DriftGroup, WindowSamples> Current)> ReadAsync(
        long baselineStartUs, long currentStartUs, long endUs, int parallelism, Func<IReader> open, CancellationToken ct)
    {
        // Slices of equal time: several per worker so a slower worker (or a busier hour) does not hold up the rest.
        // The current window is small and goes last, into whichever worker frees up first.
        parallelism = Math.Max(1, parallelism);
        var baselineSlices = parallelism == 1 ? 1 : (int)Math.Clamp(currentStartUs - baselineStartUs, 1, 4 * parallelism);
        var slices = new List<(long From, long To)>(baselineSlices + 1);
        for (var i = 0; i < baselineSlices; i++)
            slices.Add((baselineStartUs + (currentStartUs - baselineStartUs) * i / baselineSlices,
                baselineStartUs + (currentStartUs - baselineStartUs) * (i + 1) / baselineSlices));
        slices.Add((currentStartUs, endUs));

        var results = new Dictionary<DriftGroup, WindowSamples>[slices.Count];
        var next = -1;
        void Work()
        {
            try
            {
                using var reader = open();
                for (var i = Interlocked.Increment(ref next); i < slices.Count; i = Interlocked.Increment(ref next))
                    results[i] = reader.Read(slices[i].From, slices[i].To, ct);
            }
            catch
            {
                Interlocked.Exchange(ref next, slices.Count); // one failed (or was cancelled): the others stop at their next slice
                throw;
            }
        }
        var workers = new Task[Math.Min(parallelism, slices.Count)];
        for (var i = 0; i < workers.Length; i++) workers[i] = Task.Run(Work, ct);
        await Task.WhenAll(workers);

        return (WindowSamples.Concat(results.AsSpan(0, baselineSlices)), results[^1]);
    }
}
