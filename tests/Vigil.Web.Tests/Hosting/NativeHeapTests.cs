using Vigil.Web.Hosting;

namespace Vigil.Web.Tests.Hosting;

/// <summary>
/// The server caps glibc's malloc arenas at start (<see cref="NativeHeap"/>): with one arena per contending thread,
/// SQLite's page caches spread over more and more of them and the soak's RSS rose 18 % in 10 minutes (docs/benchmarks.md).
/// </summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void On_glibc_the_arenas_are_capped()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists("/etc/debian_version"), "glibc (Debian) only; the test machine is Debian");
        Assert.True(NativeHeap.LimitArenas(fromEnvironment: null), "mallopt(M_ARENA_MAX) was accepted");
    }

    [Fact]
    public void A_MALLOC_ARENA_MAX_from_the_environment_wins() =>
        Assert.False(NativeHeap.LimitArenas(fromEnvironment: "8"));
}
