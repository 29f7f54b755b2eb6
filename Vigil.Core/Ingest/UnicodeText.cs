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
}
