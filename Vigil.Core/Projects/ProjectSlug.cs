using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;

namespace Vigil.Core.Projects;

public static partial class ProjectSlug
{
    public const string Rule = "lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters";
    public const int MaxLength = 64;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    /// <summary>
    /// A valid id made from a display name: Latin accents dropped, lower case, every run of other characters one '-'
    /// (<c>"Support bot"</c> → <c>support-bot</c>, <c>"Café Ünïcode!"</c> → <c>cafe-unicode</c>), short enough to take a
    /// <c>-N</c> suffix; <c>project</c> when nothing is left.
    /// </summary>
    public static string From(string name)
    {
        var sb = new StringBuilder(name.Length);
        var dash = false;
        foreach (var c in name)
        {
            var lower = char.ToLowerInvariant(c);
            var folded = lower is >= 'a' and <= 'z' or >= '0' and <= '9' ? lower.ToString() : Latin.GetValueOrDefault(lower);
            if (folded is not null)
            {
                if (dash && sb.Length > 0) sb.Append('-');
                sb.Append(folded);
                dash = false;
            }
            else dash = true;
            if (sb.Length >= MaxLength - 8) break;
        }
        return sb.Length == 0 ? "project" : sb.ToString();
    }

    // The server runs with invariant globalization (no Unicode normalization tables), so accents are folded by hand.
    private static readonly FrozenDictionary<char, string> Latin = new Dictionary<char, string>
    {
        ['à'] = "a", ['á'] = "a", ['â'] = "a", ['ã'] = "a", ['ä'] = "a", ['å'] = "a", ['ā'] = "a", ['ą'] = "a", ['æ'] = "ae",
        ['ç'] = "c", ['ć'] = "c", ['č'] = "c", ['ď'] = "d", ['ð'] = "d", ['è'] = "e", ['é'] = "e", ['ê'] = "e", ['ë'] = "e",
        ['ē'] = "e", ['ę'] = "e", ['ě'] = "e", ['ğ'] = "g", ['ì'] = "i", ['í'] = "i", ['î'] = "i", ['ï'] = "i", ['ī'] = "i",
        ['ı'] = "i", ['ł'] = "l", ['ñ'] = "n", ['ń'] = "n", ['ň'] = "n", ['ò'] = "o", ['ó'] = "o", ['ô'] = "o", ['õ'] = "o",
        ['ö'] = "o", ['ø'] = "o", ['ō'] = "o", ['ő'] = "o", ['œ'] = "oe", ['ř'] = "r", ['ś'] = "s", ['š'] = "s", ['ş'] = "s",
        ['ß'] = "ss", ['ť'] = "t", ['þ'] = "th", ['ù'] = "u", ['ú'] = "u", ['û'] = "u", ['ü'] = "u", ['ū'] = "u", ['ů'] = "u",
        ['ű'] = "u", ['ý'] = "y", ['ÿ'] = "y", ['ź'] = "z", ['ż'] = "z", ['ž'] = "z",
    }.ToFrozenDictionary();
}
