using System.IO.Compression;

namespace Vigil.Web.Ingest;

/// <summary>
/// Reads the ingest body, undoing <c>Content-Encoding: gzip</c> (what OTLP exporters send when compression is on).
/// The body limit applies to the decompressed size, so a small compressed body cannot expand past it.
/// </summary>
public static class IngestBodyReader
{
    public enum Outcome { Ok, TooLarge, UnsupportedEncoding, CorruptCompression }

    public static async Task<(Outcome Outcome, RequestBody? Body)> ReadAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        if (encoding.Length == 0 || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            var body = await RequestBody.ReadAsync(request.Body, request.ContentLength, limit, ct);
            return body is null ? (Outcome.TooLarge, null) : (Outcome.Ok, body);
        }
        if (!encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            return (Outcome.UnsupportedEncoding, null);

        await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
        try
        {
            // The compressed Content-Length says nothing about the decompressed size: pass none.
            var body = await RequestBody.ReadAsync(gzip, null, limit, ct);
            return body is null ? (Outcome.TooLarge, null) : (Outcome.Ok, body);
        }
        catch (InvalidDataException)
        {
            return (Outcome.CorruptCompression, null);
        }
    }
}
