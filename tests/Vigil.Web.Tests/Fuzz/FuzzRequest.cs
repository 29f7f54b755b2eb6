using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using CsCheck;

namespace Vigil.Web.Tests.Fuzz;

/// <summary>One generated POST /v1/traces: a body, its Content-Type and, for gzip cases, its Content-Encoding.</summary>
internal sealed record FuzzRequest(byte[] Body, string ContentType, string? ContentEncoding = null)
{
    public const string Json = "application/json";
    public const string Protobuf = "application/x-protobuf";

    public bool IsProtobuf => ContentType.Split(';')[0].Trim().ToLowerInvariant() is Protobuf or "application/protobuf";
    public bool IsGzip => string.Equals(ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase);

    public ByteArrayContent ToContent()
    {
        var content = new ByteArrayContent(Body);
        content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        if (ContentEncoding is not null) content.Headers.TryAddWithoutValidation("Content-Encoding", ContentEncoding);
        return content;
    }

    /// <summary>For CsCheck's report of a failing case: the headers and the start of the body, non-printables escaped.</summary>
    public override string ToString()
    {
        var shown = Body.AsSpan(0, Math.Min(Body.Length, 800));
        var sb = new StringBuilder($"{ContentType} {ContentEncoding} ({Body.Length} bytes): ");
        foreach (var b in shown) sb.Append(b is >= 0x20 and < 0x7F ? (char)b : $"\\x{b:x2}");
        return sb.ToString();
    }

    public static byte[] Gzip(byte[] body)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(body);
        return ms.ToArray();
    }

    /// <summary>
    /// Compressed bodies of all three encodings: intact, corrupted after compression, truncated, a bomb that expands past
    /// the body limit, and encodings the server does not speak.
    /// </summary>
    public static Gen<FuzzRequest> Gzipped(string projectId)
    {
        var inner = Gen.Frequency(
            (1, NativeBodies.Any(projectId).Select(b => (Body: b, Type: Json))),
            (1, OtlpBodies.Json.Select(b => (Body: b, Type: Json))),
            (1, OtlpBodies.Protobuf.Select(b => (Body: b, Type: Protobuf))));
        return Gen.Frequency(
            (10, inner.Select(x => new FuzzRequest(Gzip(x.Body), x.Type, "gzip"))),
            (4, Mutations.Of(inner.Select(x => Gzip(x.Body))).Select(b => new FuzzRequest(b, Json, "gzip"))),
            (1, Gen.Int[1, 40].Select(n => new FuzzRequest(Gzip(new byte[n * 10_000]), Json, "gzip"))),
            (1, Gen.Byte.Array[0, 64].Select(b => new FuzzRequest(b, Protobuf, "gzip"))),
            (1, Gen.Select(inner, Gen.OneOf(Gen.Const("br"), Gen.Const("deflate"), Gen.Const("gzip, gzip"), Gen.Const("GZIP"), Gen.Const("x-gzip")))
                .Select((x, encoding) => new FuzzRequest(Gzip(x.Body), x.Type, encoding))));
    }

    /// <summary>Content types around the two the server speaks.</summary>
    public static Gen<string> JsonContentType => Gen.Frequency(
        (20, Gen.Const(Json)),
        (1, Gen.OneOf(Gen.Const("application/json; charset=utf-8"), Gen.Const("Application/JSON"), Gen.Const("application/json; charset=utf-16"),
            Gen.Const("text/plain"), Gen.Const("application/json;;;"), Gen.Const("application/x-protobuf"))));
}
