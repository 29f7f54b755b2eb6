namespace Vigil.Core.Ingest;

/// <summary>
/// Whether JSON text stands for valid Unicode: no lone surrogate, neither as a raw char nor escaped (<c>"\ud800"</c> is
/// valid JSON syntax that SQLite stores as it is and PostgreSQL's <c>jsonb</c> refuses), so a payload is accepted or
/// refused alike on every provider.
/// </summary>
public static class UnicodeText
{
    public static bool IsValidJson(string json)
    {
        var pendingHigh = false; // the previous unit was a high surrogate (raw or escaped) waiting for its low half
        for (var i = 0; i < json.Length; i++)
        {
            int unit = json[i];
            if (unit == '\\' && i + 1 < json.Length)
            {
                if (json[i + 1] != 'u' || i + 6 > json.Length)
                {
                    if (pendingHigh) return false;
                    i++; // \" \\ \n ...: one escaped char, never a surrogate
                    continue;
                }
                if (!int.TryParse(json.AsSpan(i + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out unit)) return false;
                i += 5;
            }
            var high = unit is >= 0xD800 and <= 0xDBFF;
            var low = unit is >= 0xDC00 and <= 0xDFFF;
            if (pendingHigh != low) return false;
            pendingHigh = high;
        }
        return !pendingHigh;
    }

    /// <summary>
    /// JSON text with its <c>\uXXXX</c> escapes of non-ASCII characters written as the characters themselves (the same
    /// JSON value). Python's <c>json.dumps</c> and System.Text.Json escape every non-ASCII character by default, and
    /// stored that way the text could not be found by search (<c>q=München</c> against <c>M\u00fcnchen</c>) or in any
    /// other case. Escapes of ASCII characters (quotes, controls) and lone surrogates stay as they are. Returns
    /// <paramref name="json"/> itself when it holds no <c>\u</c>, which is the common case and costs one vectorized search.
    /// </summary>
    public static string UnescapeNonAscii(string json)
    {
        if (!json.Contains("\\u", StringComparison.Ordinal)) return json;
        System.Text.StringBuilder? sb = null; // only once an escape is replaced
        // Escapes are found from the first backslash of a run on, so an escaped backslash followed by "u" is text, not an escape.
        var copied = 0;
        for (var i = json.IndexOf('\\'); i >= 0; i = i < json.Length ? json.IndexOf('\\', i) : -1)
        {
            if (i + 1 >= json.Length) break;
            if (json[i + 1] != 'u' || !TryHex(json, i + 2, out var unit) || unit < 0x80)
            {
                i += json[i + 1] == 'u' ? 6 : 2;
                continue;
            }
            var length = 6;
            if (unit is >= 0xDC00 and <= 0xDFFF) { i += 6; continue; } // a lone low half stays escaped
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (i + 12 > json.Length || json[i + 6] != '\\' || json[i + 7] != 'u' || !TryHex(json, i + 8, out var low) || low is < 0xDC00 or > 0xDFFF)
                {
                    i += 6;
                    continue;
                }
                (sb ??= new System.Text.StringBuilder(json.Length)).Append(json, copied, i - copied).Append((char)unit).Append((char)low);
                length = 12;
            }
            else (sb ??= new System.Text.StringBuilder(json.Length)).Append(json, copied, i - copied).Append((char)unit);
            i += length;
            copied = i;
        }
        return sb is null ? json : sb.Append(json, copied, json.Length - copied).ToString();
    }

    private static bool TryHex(string json, int at, out int unit)
    {
        unit = 0;
        return at + 4 <= json.Length && int.TryParse(json.AsSpan(at, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out unit);
    }
}
