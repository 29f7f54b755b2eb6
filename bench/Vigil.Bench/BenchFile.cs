using Microsoft.Data.Sqlite;

namespace Vigil.Bench;

/// <summary>
/// The SQLite file a bench scenario seeds: a fresh one in a temp folder (deleted afterwards unless VIGIL_BENCH_KEEP=1),
/// or the file named by <c>--db</c>, seeded once and reused on later calls (<see cref="Seeded"/>).
/// </summary>
internal sealed class BenchFile : IDisposable
{
    private readonly bool _reused;

    private BenchFile(string dir, string path, bool reused)
    {
        (Dir, Path, _reused) = (dir, path, reused);
        Seeded = reused && File.Exists(path);
    }

    public string Dir { get; }
    public string Path { get; }
    /// <summary>A reused file that already holds the seed.</summary>
    public bool Seeded { get; }

    public static BenchFile Open(string area, string? reuse)
    {
        var dir = reuse is null ? System.IO.Path.Combine(System.IO.Path.GetTempPath(), area, Guid.NewGuid().ToString("N")) : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(reuse))!;
        Directory.CreateDirectory(dir);
        return new BenchFile(dir, reuse is null ? System.IO.Path.Combine(dir, "vigil.db") : System.IO.Path.GetFullPath(reuse), reuse is not null);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (_reused || Environment.GetEnvironmentVariable("VIGIL_BENCH_KEEP") is "1") Console.WriteLine($"kept {Path}");
        else try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
