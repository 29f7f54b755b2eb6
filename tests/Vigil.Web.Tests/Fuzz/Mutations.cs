using CsCheck;

namespace Vigil.Web.Tests.Fuzz;

/// <summary>Byte-level mutations of a body (bit flips, cuts, insertions, repeats, truncation), as a fuzzer applies them.</summary>
internal static class Mutations
{
    private enum Op { FlipBit, SetByte, Delete, Insert, Duplicate, Truncate, InsertHostile, Swap }

    private sealed record Mutation(Op Op, double At, int Length, byte[] Bytes);

    /// <summary>Bytes a mutation inserts: structure characters and bytes that are never valid alone in UTF-8.</summary>
    private static readonly Gen<byte[]> Insertion = Gen.Frequency(
        (3, Gen.Byte.Array[1, 8]),
        (2, Gen.OneOf(Gen.Const("{"u8.ToArray()), Gen.Const("}"u8.ToArray()), Gen.Const("["u8.ToArray()), Gen.Const("]"u8.ToArray()),
            Gen.Const("\""u8.ToArray()), Gen.Const(","u8.ToArray()), Gen.Const(":"u8.ToArray()), Gen.Const("\\"u8.ToArray()),
            Gen.Const("null"u8.ToArray()), Gen.Const("-1e999"u8.ToArray()))),
        (2, Gen.Int[0, JsonText.HostileStringContents.Length - 1].Select(i => JsonText.HostileStringContents[i])),
        // Protobuf: a tag with a random wire type and a huge or negative varint length.
        (1, Gen.OneOf(Gen.Const(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }), Gen.Const(new byte[] { 0x12, 0x80 }),
            Gen.Const(new byte[] { 0x0F }), Gen.Const(new byte[] { 0x0B }), Gen.Const(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }))));

    private static readonly Gen<Mutation> One = Gen.Select(Gen.Enum<Op>(), Gen.Double[0, 1], Gen.Int[1, 64], Insertion)
        .Select((op, at, length, bytes) => new Mutation(op, at, length, bytes));

    /// <summary>The source's bodies with 1-4 mutations applied.</summary>
    public static Gen<byte[]> Of(Gen<byte[]> source) =>
        Gen.Select(source, One.Array[1, 4]).Select((body, mutations) => mutations.Aggregate(body, Apply));

    private static byte[] Apply(byte[] body, Mutation m)
    {
        var list = new List<byte>(body);
        var at = (int)(m.At * list.Count);
        switch (m.Op)
        {
            case Op.FlipBit when list.Count > 0:
                at = Math.Min(at, list.Count - 1);
                list[at] ^= (byte)(1 << (m.Length % 8));
                break;
            case Op.SetByte when list.Count > 0:
                at = Math.Min(at, list.Count - 1);
                list[at] = m.Bytes[0];
                break;
            case Op.Delete:
                list.RemoveRange(at, Math.Min(m.Length, list.Count - at));
                break;
            case Op.Insert or Op.InsertHostile:
                list.InsertRange(at, m.Bytes);
                break;
            case Op.Duplicate:
                var len = Math.Min(m.Length, list.Count - at);
                list.InsertRange(at, list.GetRange(at, len));
                break;
            case Op.Truncate:
                list.RemoveRange(at, list.Count - at);
                break;
            case Op.Swap when list.Count > 1:
                var other = (at + m.Length) % list.Count;
                at = Math.Min(at, list.Count - 1);
                (list[at], list[other]) = (list[other], list[at]);
                break;
        }
        return list.ToArray();
    }
}
