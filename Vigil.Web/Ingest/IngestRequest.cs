using Vigil.Core.Ingest;
using Vigil.Web.Api;

namespace Vigil.Web.Ingest;

/// <summary>
/// What every ingest endpoint does before it parses: the encoding from Content-Type, a lease of the concurrency gate,
/// and the body (gzip undone) under <c>Vigil:Ingest:MaxBodyBytes</c>. Dispose returns the lease and the buffer.
/// </summary>
public sealed class IngestRequest : IDisposable
{
    private readonly System.Threading.RateLimiting.RateLimitLease _lease;

    private IngestRequest(IngestEncoding encoding, RequestBody body, System.Threading.RateLimiting.RateLimitLease lease)
    {
        Encoding = encoding;
        Body = body;
        _lease = lease;
    }

    /// <summary>For <c>application/json</c>, <see cref="IngestEncoding.OtlpJson"/> until the caller looks at the body's shape.</summary>
    public IngestEncoding Encoding { get; set; }

    public RequestBody Body { get; }

    /// <summary>The request, or the error to answer (415, 503, 413, 400).</summary>
    public static async Task<(IngestRequest? Request, IResult? Error)> ReadAsync(
        HttpContext http, IngestLimiter gate, IngestOptions limits, string accepted, CancellationToken ct)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        IngestEncoding? encoding = mediaType switch
        {
            "application/x-protobuf" or "application/protobuf" => IngestEncoding.OtlpProtobuf,
            "application/json" => IngestEncoding.OtlpJson,
            _ => null,
        };
        if (encoding is not { } e)
            return (null, ApiProblems.Status(415, "Unsupported media type", $"Content-Type '{mediaType ?? "(none)"}' is not supported; send {accepted}."));

        var lease = gate.TryEnter();
        if (lease is null)
        {
            http.Response.Headers.RetryAfter = "1";
            return (null, OtlpResponses.Error(e, 503, "Service unavailable",
                $"The server is handling {gate.Limit} ingest requests already; retry shortly.", "Vigil:Ingest:MaxConcurrentRequests"));
        }

        var (read, body) = await IngestBodyReader.ReadAsync(http.Request, limits.MaxBodyBytes, ct);
        IResult? error = read switch
        {
            IngestBodyReader.Outcome.TooLarge => OtlpResponses.Error(e, 413, "Payload too large", $"The body exceeds {limits.MaxBodyBytes} bytes.", "Vigil:Ingest:MaxBodyBytes"),
            IngestBodyReader.Outcome.UnsupportedEncoding => OtlpResponses.Error(e, 415, "Unsupported media type",
                $"Content-Encoding '{http.Request.Headers.ContentEncoding}' is not supported; send gzip or no encoding."),
            IngestBodyReader.Outcome.CorruptCompression => OtlpResponses.Error(e, 400, "Bad request", "The body is not valid gzip."),
            _ => null,
        };
        if (error is not null)
        {
            lease.Dispose();
            return (null, error);
        }
        return (new IngestRequest(e, body!, lease), null);
    }

    public void Dispose()
    {
        Body.Dispose();
        _lease.Dispose();
    }
}
