namespace Vigil.Core.Storage;

/// <summary>
/// Text functions that each provider's context maps to its own SQL (<c>HasDbFunction</c>), for filters that must agree
/// across providers. Queries only: calling them in .NET throws.
/// </summary>
public static class TextFunctions
{
    /// <summary>
    /// Every letter lowered, as <see cref="string.ToLowerInvariant"/> lowers the filter's text. PostgreSQL's <c>lower()</c>
    /// does that; SQLite's folds ASCII letters only (a trace named "Über-Agent" was not found by <c>name=Über</c>), so the
    /// SQLite context maps this to a function of its own (<c>Storage/Sqlite/SqliteTextFunctions</c>).
    /// </summary>
    public static string Lower(string? value) => throw new InvalidOperationException($"{nameof(TextFunctions)}.{nameof(Lower)} runs in SQL only.");

    internal static System.Reflection.MethodInfo LowerMethod { get; } = typeof(TextFunctions).GetMethod(nameof(Lower))!;
}
