using System.Text;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// PostgreSQL cannot store the character U+0000: not in <c>text</c>, and not as the escape <c>\u0000</c> inside
/// <c>jsonb</c>. JSON allows both, so a client may send them; they are stored as U+FFFD (the replacement character)
/// instead of failing the whole batch. SQLite stores them as sent.
/// </summary>
internal static class PostgresText
{
    public static string? Clean(string? text) => text is null || !text.Contains('\0') ? text : text.Replace('\0', '\uFFFD');

    /// <summary>A JSON text with every <c>\u0000</c> escape (not an escaped backslash followed by "u0000") replaced.</summary>
    public static string? Json(string? json)
    {
        if (json is null || !json.Contains("\\u0000", StringComparison.OrdinalIgnoreCase)) return json;
        var sb = new StringBuilder(json.Length);
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (c != '\\' || i + 1 >= json.Length) { sb.Append(c); continue; }
            // An escape: copy it whole, so "\\" never pairs with the next character.
            if (json[i + 1] == 'u' && i + 5 < json.Length && json.AsSpan(i + 2, 4) is "0000")
            {
                sb.Append("\\uFFFD");
                i += 5;
            }
            else
            {
                sb.Append(c).Append(json[i + 1]);
                i++;
            }
        }
        return sb.ToString();
    }
}
