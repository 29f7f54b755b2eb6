using System.Linq.Expressions;

namespace Vigil.Core.Storage;

/// <summary>Case-insensitive substring filters written once for every provider and column.</summary>
public static class TextFilter
{
    private static readonly System.Reflection.MethodInfo ToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
    private static readonly System.Reflection.MethodInfo Contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;

    /// <summary>
    /// Rows whose <paramref name="column"/> holds <paramref name="text"/> in any case. Text with a letter outside ASCII
    /// compares through <see cref="TextFunctions.Lower"/> (SQLite's lower() folds ASCII only); ASCII text through the
    /// provider's own lower(), which finds the same rows without a call into .NET per row on SQLite.
    /// </summary>
    public static IQueryable<T> WhereContains<T>(this IQueryable<T> source, Expression<Func<T, string?>> column, string text)
    {
        var needle = new Needle(text.ToLowerInvariant());
        Expression folded = needle.Value.All(char.IsAscii)
            ? Expression.Call(column.Body, ToLower)
            : Expression.Call(TextFunctions.LowerMethod, column.Body);
        // Read from an object, so EF sends the text as a parameter rather than writing it into the SQL.
        var body = Expression.Call(folded, Contains, Expression.Property(Expression.Constant(needle), nameof(Needle.Value)));
        return source.Where(Expression.Lambda<Func<T, bool>>(body, column.Parameters));
    }

    private sealed record Needle(string Value);
}
