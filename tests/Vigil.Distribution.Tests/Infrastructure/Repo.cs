namespace Vigil.Distribution.Tests.Infrastructure;

/// <summary>The repository these tests were built from, and the configuration they were built in (what --no-build packs).</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>Release or Debug, from this assembly's own output folder.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string At(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Vigil.sln above {AppContext.BaseDirectory}");
    }
}
