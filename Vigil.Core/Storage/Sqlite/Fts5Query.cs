using System.Text;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// FTS5 queries for the trigram tables. Their <c>detail=none</c> index keeps which rows hold a trigram, not where, so a
/// substring becomes "every trigram of it" (an AND; a superset that callers verify). Text under 3 characters has
/// no trigram and no query.
/// </summary>
internal static class Fts5Query
{
    /// <summary>Trigrams beyond this many add little selectivity; an evenly spread subset is kept.</summary>
    private const int MaxTrigrams = 24;

    public static string? AllTrigrams(string text, string? column = null) => Trigrams(text, column, step: 1);

    /// <summary>
    /// The trigrams that tile the text (every third one, and the last), not all of them: for short, low-cardinality
    /// columns (trace name, models) each trigram's posting list is long and the extra ones filter out almost nothing, so
    /// reading a third of the lists halves the index part of a name filter. Still a superset: callers verify.
    /// </summary>
    public static string? CoveringTrigrams(string text, string column) => Trigrams(text, column, step: 3);

    /// <summary>The trigrams starting every <paramref name="step"/> runes, plus the last one when the steps miss it.</summary>
    private static string? Trigrams(string text, string? column, int step)
    {
        var runes = text.EnumerateRunes().ToArray();
        if (runes.Length < 3) return null;
        var grams = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 3 <= runes.Length; i += step) Add(i);
        if ((runes.Length - 3) % step != 0) Add(runes.Length - 3);
        return Build(grams, column);

        void Add(int at)
        {
            var gram = string.Concat(runes[at].ToString(), runes[at + 1].ToString(), runes[at + 2].ToString());
            if (seen.Add(gram.ToLowerInvariant())) grams.Add(gram);
        }
    }

    private static string Build(List<string> grams, string? column)
    {
        if (grams.Count > MaxTrigrams) grams = [.. Enumerable.Range(0, MaxTrigrams).Select(i => grams[i * grams.Count / MaxTrigrams])];
        var sb = new StringBuilder();
        if (column is not null) sb.Append(column).Append(" : (");
        for (var i = 0; i < grams.Count; i++)
        {
            if (i > 0) sb.Append(" AND ");
            sb.Append('"').Append(grams[i].Replace("\"", "\"\"")).Append('"');
        }
        if (column is not null) sb.Append(')');
        return sb.ToString();
    }
}
