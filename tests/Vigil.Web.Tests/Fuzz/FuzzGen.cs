using CsCheck;

namespace Vigil.Web.Tests.Fuzz;

/// <summary>Small combinators the body generators share.</summary>
internal static class FuzzGen
{
    /// <summary>A member that is usually well-formed, sometimes any JSON value at all, sometimes absent.</summary>
    public static Gen<(string Key, byte[] Value)?> Field(string key, Gen<byte[]> good) => Gen.Frequency(
        (6, good.Select(v => ((string, byte[])?)(key, v))),
        (1, JsonText.AnyValue.Select(v => ((string, byte[])?)(key, v))),
        (2, Gen.Const(default((string, byte[])?))));

    /// <summary>An object of the members that are present, in order.</summary>
    public static Gen<byte[]> Object(params Gen<(string Key, byte[] Value)?>[] fields) =>
        Sequence(fields).Select(members => JsonText.Obj(members.Where(m => m is not null).Select(m => m!.Value)));

    public static Gen<T[]> Sequence<T>(IReadOnlyList<Gen<T>> gens)
    {
        Gen<List<T>> acc = Gen.Const(new Func<List<T>>(() => []));
        foreach (var g in gens)
            acc = Gen.Select(acc, g).Select((list, item) => { list.Add(item); return list; });
        return acc.Select(list => list.ToArray());
    }

    public static Gen<byte[]> Str(Gen<string> s) => s.Select(JsonText.Str);

    public static Gen<byte[]> OneOfStr(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => JsonText.Str(values[i]));

    /// <summary>Text of every length that matters to the limits (ids 128, names 512), with hostile bytes now and then.</summary>
    public static readonly Gen<byte[]> Text = Gen.Frequency(
        (6, Gen.String[0, 24].Select(JsonText.Str)),
        (1, Gen.Int[100, 700].Select(n => JsonText.Str(new string('x', n)))),
        (2, JsonText.HostileString));

    public static readonly Gen<byte[]> Number = Gen.Int[0, JsonText.HostileNumbers.Length - 1].Select(i => JsonText.Utf8(JsonText.HostileNumbers[i]));

    public static readonly Gen<byte[]> Timestamp = Gen.Frequency(
        (6, Gen.Int[0, 86_400_000].Select(ms => JsonText.Str(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(ms).ToString("O")))),
        (2, Gen.DateTimeOffset.Select(d => JsonText.Str(d.ToString("O")))),
        (2, OneOfStr("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59.9999999-14:00", "2026-13-45T99:00:00Z", "", "yesterday",
            "2026-01-01", "1/2/2026", "2026-01-01T00:00:00.000000000001Z", "+275760-09-13T00:00:00Z", "2026-01-01T00:00:00+99:00")),
        (1, Number));
}
