namespace Vigil.Core.Ingest;

/// <summary>
/// Whether every number in JSON text fits every store: PostgreSQL's <c>jsonb</c> keeps numbers as <c>numeric</c>, which
/// refuses an exponent or a digit count past about 131,000 (<c>1e999999</c> is valid JSON that SQLite stores as text), so
/// a payload is accepted or refused alike on every provider. One pass over the text, no allocation.
/// </summary>
public static class JsonNumbers
{
    public const int MaxDigits = 100_000;
    public const int MaxExponent = 100_000;

    public static bool FitEveryStore(string json)
    {
        var inString = false;
        var escaped = false;
        var digits = 0; // digits of the number being read; 0 outside numbers
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') { inString = true; digits = 0; continue; }
            if (char.IsAsciiDigit(c))
            {
                if (++digits > MaxDigits) return false;
                continue;
            }
            if (c == '.' && digits > 0) continue;
            if ((c == 'e' || c == 'E') && digits > 0)
            {
                var j = i + 1;
                if (j < json.Length && (json[j] == '+' || json[j] == '-')) j++;
                var exponent = 0L;
                for (; j < json.Length && char.IsAsciiDigit(json[j]); j++)
                    if ((exponent = exponent * 10 + (json[j] - '0')) > MaxExponent) return false;
                i = j - 1;
            }
            digits = 0;
        }
        return true;
    }
}
