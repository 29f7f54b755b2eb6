namespace Vigil.Tests;

/// <summary>The checkout the tests were built from: the folder of Vigil.sln above the test assembly.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.sln"))) return dir.FullName;
        throw new InvalidOperationException("Vigil.sln not found above " + AppContext.BaseDirectory);
    }
}
