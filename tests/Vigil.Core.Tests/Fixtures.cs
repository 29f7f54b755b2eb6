namespace Vigil.Core.Tests;

public static class Fixtures
{
    public static string Read(string relative) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", relative));
}
