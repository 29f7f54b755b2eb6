using System.Runtime.InteropServices;

namespace Vigil.Web.Hosting;

/// <summary>
/// Caps glibc's malloc arenas, as <c>MALLOC_ARENA_MAX</c> would, before SQLite allocates anything. glibc gives threads
/// that meet a locked arena one of their own, up to 8 per core, and memory freed in one arena is never reused by another:
/// SQLite's calls hop between pool threads, so its page caches were spread over more and more arenas and the server's
/// RSS rose ~7 MB a minute through a 10-minute soak (+18 %), while two arenas kept it flat (docs/benchmarks.md, "Soak
/// runs 30–38"). A <c>MALLOC_ARENA_MAX</c> set by the user wins; other C libraries (musl) are left alone.
/// </summary>
internal static class NativeHeap
{
    /// <summary>The cap: SQLite's allocations are not contended enough to need more, and one is the main arena.</summary>
    internal const int Arenas = 2;

    private const int M_ARENA_MAX = -8;

    /// <summary>Whether the cap was applied (false off glibc, or when the environment sets its own).</summary>
    public static bool LimitArenas() => LimitArenas(Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX"));

    internal static bool LimitArenas(string? fromEnvironment)
    {
        if (!OperatingSystem.IsLinux() || fromEnvironment is not null) return false;
        try { return mallopt(M_ARENA_MAX, Arenas) == 1; }
        catch (EntryPointNotFoundException) { return false; }
        catch (DllNotFoundException) { return false; }
    }

    /// <summary>
    /// Gives the free pages inside every arena back to the OS (glibc's <c>malloc_trim</c>): freed memory is otherwise kept
    /// for the arena's next allocations, so RSS only shows the most the arenas ever held at once. False when nothing
    /// was given back, or off glibc (no such function).
    /// </summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { return malloc_trim(0) == 1; }
        catch (EntryPointNotFoundException) { return false; }
        catch (DllNotFoundException) { return false; }
    }

#pragma warning disable SYSLIB1054 // DllImport on a blittable signature needs no generated marshalling (and no unsafe code)
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
#pragma warning restore SYSLIB1054
}
