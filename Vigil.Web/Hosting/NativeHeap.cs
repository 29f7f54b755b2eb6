using System.Runtime.InteropServices;

namespace Vigil.Web.Hosting;

/// <summary>
/// The C heap under glibc. glibc gives each thread that allocates an arena of its own, up to 8 per core, and memory
/// freed into one arena is reused only by that arena. SQLite's calls run on whichever pool thread makes them, so its page
/// caches were spread over more and more arenas and the server's RSS rose ~7 MB a minute through a 10-minute soak
/// (+18 %); with <c>MALLOC_ARENA_MAX=2</c> from the start it stayed flat (docs/benchmarks.md, "Soak runs 30–39").
/// A process cannot set that for itself before its runtime's first threads have made their arenas, so the server
/// stops glibc making more (<see cref="LimitArenas()"/>) and trims the heap once a minute (<see cref="NativeHeapTrimmer"/>).
/// A <c>MALLOC_ARENA_MAX</c> set by the user wins; other C libraries (musl) are left alone.
/// </summary>
internal static class NativeHeap
{
    /// <summary>The cap, as the Dockerfile's <c>MALLOC_ARENA_MAX</c>: SQLite's allocations are not contended enough to need more.</summary>
    internal const int Arenas = 2;

    private const int M_ARENA_MAX = -8;

    /// <summary>
    /// Caps the arenas at <see cref="Arenas"/>; glibc keeps the ones it has, and threads share them from then on. Whether
    /// the cap was applied (false off glibc, or when the environment sets its own).
    /// </summary>
    public static bool LimitArenas() => LimitArenas(Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX"));

    internal static bool LimitArenas(string? fromEnvironment) =>
        fromEnvironment is null && CallLibc(() => mallopt(M_ARENA_MAX, Arenas)) == 1;

    /// <summary>
    /// Gives the free pages inside every arena back to the OS (glibc's <c>malloc_trim</c>): freed memory is otherwise kept
    /// for the arena's next allocations, so RSS only shows the most the arenas ever held at once. Whether anything was
    /// given back; null off glibc (no such function).
    /// </summary>
    public static bool? Trim() => CallLibc(() => malloc_trim(0)) is { } result ? result == 1 : null;

    /// <summary>The function's answer; null off Linux or when the C library has no such function (musl has no malloc_trim).</summary>
    private static int? CallLibc(Func<int> call)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try { return call(); }
        catch (EntryPointNotFoundException) { return null; }
        catch (DllNotFoundException) { return null; }
    }

#pragma warning disable SYSLIB1054 // DllImport on a blittable signature needs no generated marshalling (and no unsafe code)
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
#pragma warning restore SYSLIB1054
}
