using System.Runtime.InteropServices;
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
            Assert.True(NativeHeap.Trim(), "malloc_trim gave memory back");
        }
        finally
        {
            for (var i = 0; i < blocks.Length; i += 100) Marshal.FreeHGlobal(blocks[i]);
        }
    }
}
