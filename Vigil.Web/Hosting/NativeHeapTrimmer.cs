using System.Diagnostics;

namespace Vigil.Web.Hosting;

/// <summary>
/// Trims the C heap once a minute (<see cref="NativeHeap.Trim"/>). SQLite's page caches are freed and allocated again
/// whenever another connection's commit invalidates them, in whichever arena the calling pool thread has; without a trim
/// the freed pages stay with their arena, and RSS crept up through a 10-minute soak.
/// </summary>
internal sealed class NativeHeapTrimmer(TimeProvider time, ILogger<NativeHeapTrimmer> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // Started with the service rather than in ExecuteAsync, which runs on a pool thread a moment later.
    private readonly PeriodicTimer _timer = new(Interval, time);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                var started = Stopwatch.GetTimestamp();
                var before = Environment.WorkingSet;
                if (NativeHeap.Trim() is not { } released) return; // not glibc
                logger.LogDebug("Trimmed the native heap in {Milliseconds:0.0} ms: working set {Before:N0} → {After:N0} MB{Note}",
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds, before / 1_000_000, Environment.WorkingSet / 1_000_000,
                    released ? "" : " (nothing to give back)");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }
}

public static class NativeHeapExtensions
{
    public static IServiceCollection AddVigilNativeHeap(this IServiceCollection services) =>
        services.AddHostedService<NativeHeapTrimmer>();
}
