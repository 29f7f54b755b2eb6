using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Vigil.Web.Hosting;

namespace Vigil.Web.Tests.Hosting;

/// <summary>
/// The server caps glibc's malloc arenas at start and trims the C heap once a minute (<see cref="NativeHeap"/>,
/// <see cref="NativeHeapTrimmer"/>): without them the soak's RSS rose 18 % in 10 minutes (docs/benchmarks.md).
/// </summary>
public sealed class NativeHeapTests
{
    private static bool OnGlibc => OperatingSystem.IsLinux() && File.Exists("/etc/debian_version");

    [Fact]
    public void On_glibc_the_arenas_are_capped()
    {
        Assert.SkipUnless(OnGlibc, "glibc (Debian) only; the test machine is Debian");
        Assert.True(NativeHeap.LimitArenas(fromEnvironment: null), "mallopt(M_ARENA_MAX) was accepted");
    }

    [Fact]
    public void A_MALLOC_ARENA_MAX_from_the_environment_wins() =>
        Assert.False(NativeHeap.LimitArenas(fromEnvironment: "8"));

    [Fact]
    public void Trimming_gives_freed_pages_inside_the_heap_back()
    {
        Assert.SkipUnless(OnGlibc, "glibc (Debian) only; the test machine is Debian");
        // 40 MB of small blocks (malloc, not mmap), then all freed but every 100th: the free space lies between live
        // blocks, where free() itself never returns it, and only a trim can.
        var blocks = new nint[20_000];
        for (var i = 0; i < blocks.Length; i++) blocks[i] = Marshal.AllocHGlobal(2048);
        for (var i = 0; i < blocks.Length; i++)
            if (i % 100 != 0) Marshal.FreeHGlobal(blocks[i]);
        try
        {
            Assert.True(NativeHeap.Trim() == true, "malloc_trim gave memory back");
        }
        finally
        {
            for (var i = 0; i < blocks.Length; i += 100) Marshal.FreeHGlobal(blocks[i]);
        }
    }

    [Fact]
    public async Task The_trimmer_trims_once_a_minute()
    {
        Assert.SkipUnless(OnGlibc, "glibc (Debian) only; the test machine is Debian");
        var time = new FakeTimeProvider();
        var logs = new ConcurrentQueue<string>();
        using var trimmer = new NativeHeapTrimmer(time, new ListLogger(logs));
        var ct = TestContext.Current.CancellationToken;
        await trimmer.StartAsync(ct);

        for (var minute = 1; minute <= 2; minute++)
        {
            time.Advance(NativeHeapTrimmer.Interval - TimeSpan.FromSeconds(1));
            await Task.Delay(200, ct);
            Assert.Equal(minute - 1, logs.Count);
            time.Advance(TimeSpan.FromSeconds(1));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (logs.Count < minute && DateTime.UtcNow < deadline) await Task.Delay(20, ct);
            Assert.Equal(minute, logs.Count);
        }
        Assert.All(logs, l => Assert.StartsWith("Trimmed the native heap in ", l));
        await trimmer.StopAsync(ct);
    }

    private sealed class ListLogger(ConcurrentQueue<string> logs) : ILogger<NativeHeapTrimmer>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Enqueue(formatter(state, exception));
    }
}
