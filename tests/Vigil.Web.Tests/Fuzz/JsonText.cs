using System.Text;
using CsCheck;

namespace Vigil.Web.Tests.Fuzz;

/// <summary>
/// JSON written as raw bytes, so a generator can place what a serializer never would: invalid UTF-8 inside strings,
/// escaped lone surrogates, numbers out of every range, duplicate keys, nesting past any limit.
/// </summary>
internal static class JsonText
{
    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var at = 0;
        foreach (var p in parts) { p.CopyTo(result, at); at += p.Length; }
        return result;
    }

    public static byte[] Str(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case < ' ': sb.Append($"\\u{(int)c:x4}"); break;
                default: sb.Append(c); break;
            }
        }
        return Utf8(sb.Append('"').ToString());
    }

    /// <summary>A string token whose content is taken byte for byte (may be invalid UTF-8 or hold raw escapes).</summary>
    public static byte[] RawStr(byte[] content) => Concat("\""u8.ToArray(), content, "\""u8.ToArray());

    public static byte[] Obj(IEnumerable<(string Key, byte[] Value)> members) =>
        Concat([.. Join(members.Select(m => Concat(Str(m.Key), ":"u8.ToArray(), m.Value)), '{', '}')]);

    public static byte[] Arr(IEnumerable<byte[]> items) => Concat([.. Join(items, '[', ']')]);

    private static IEnumerable<byte[]> Join(IEnumerable<byte[]> items, char open, char close)
    {
        yield return [(byte)open];
        var first = true;
        foreach (var item in items)
        {
            if (!first) yield return ","u8.ToArray();
            first = false;
            yield return item;
        }
        yield return [(byte)close];
    }

    /// <summary>String contents that break decoders: invalid UTF-8, encoded surrogates, escaped lone surrogates, NUL.</summary>
    public static readonly byte[][] HostileStringContents =
    [
        [0xC3, 0x28],                         // invalid 2-byte sequence
        [0xFF, 0xFE],                         // never valid in UTF-8
        [0xED, 0xA0, 0x80],                   // an encoded surrogate (CESU-8)
        [0xC0, 0xAF],                         // overlong '/'
        [0xF4, 0x90, 0x80, 0x80],             // above U+10FFFF
        [0xE2, 0x82],                         // truncated sequence
        "\\ud800"u8.ToArray(),                // escaped lone high surrogate
        "\\udc00x"u8.ToArray(),               // escaped lone low surrogate
        "\\ud83d\\ud83d"u8.ToArray(),         // two high surrogates
        "\\u0000"u8.ToArray(),                // NUL
        "\\x41"u8.ToArray(),                  // invalid escape
        "\\u12"u8.ToArray(),                  // truncated escape
        [0x0A],                               // raw control character
    ];

    public static readonly string[] HostileNumbers =
    [
        "0", "-0", "1", "-1", "1.5", "-1.5", "1e400", "-1e400", "1e-400", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "123456789012345678901234567890", "0.1e1", "1E+2", "4.9e-324",
        "1.7976931348623157e308", "01", "+1", ".5", "1.", "NaN", "Infinity", "-", "1e", "0x10",
    ];

    public static readonly Gen<string> Key = Gen.OneOf(
        Gen.String[Gen.Char['a', 'z'], 1, 8],
        Gen.OneOf(Gen.Const("model"), Gen.Const("usage"), Gen.Const("prompt_tokens"), Gen.Const("completion_tokens"),
            Gen.Const("input_tokens"), Gen.Const("output_tokens"), Gen.Const("messages"), Gen.Const("content"), Gen.Const("role"),
            Gen.Const(""), Gen.Const("__proto__")));

    public static readonly Gen<byte[]> HostileString = Gen.Select(Gen.String[0, 12], Gen.Int[0, HostileStringContents.Length - 1], Gen.Bool)
        .Select((s, i, before) => before
            ? RawStr(Concat(HostileStringContents[i], Utf8(s)))
            : RawStr(Concat(Utf8(s), HostileStringContents[i])));

    public static readonly Gen<byte[]> Leaf = Gen.Frequency(
        (4, Gen.String[0, 24].Select(Str)),
        (2, HostileString),
        (2, Gen.Int[0, HostileNumbers.Length - 1].Select(i => Utf8(HostileNumbers[i]))),
        (1, Gen.Double.Select(d => Utf8(double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "0"))),
        (1, Gen.Long.Select(l => Utf8(l.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
        (1, Gen.OneOf(Gen.Const("true"u8.ToArray()), Gen.Const("false"u8.ToArray()), Gen.Const("null"u8.ToArray()))));

    /// <summary>Any JSON value, nested up to a few levels, with hostile leaves among ordinary ones.</summary>
    public static readonly Gen<byte[]> AnyValue = Gen.Recursive<byte[]>((depth, inner) => depth >= 4
        ? Leaf
        : Gen.Frequency(
            (6, Leaf),
            (2, inner.Array[0, 4].Select(items => Arr(items))),
            (2, Gen.Select(Key, inner).Array[0, 4].Select(members => Obj(members)))));

    /// <summary>Nesting far past any configured depth, in arrays or objects, closed or not.</summary>
    public static readonly Gen<byte[]> Deep = Gen.Select(Gen.Int[10, 3000], Gen.Bool, Gen.Bool).Select((depth, objects, closed) =>
    {
        var sb = new StringBuilder();
        for (var i = 0; i < depth; i++) sb.Append(objects ? "{\"a\":" : "[");
        sb.Append('1');
        if (closed) for (var i = 0; i < depth; i++) sb.Append(objects ? '}' : ']');
        return Utf8(sb.ToString());
    });
}
