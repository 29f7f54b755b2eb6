using Google.Protobuf;
using Vigil.Core.Ingest.Otlp;
using Vigil.Web.Api;
using RpcStatus = Vigil.Core.Ingest.Otlp.Proto.Rpc.Status;

namespace Vigil.Web.Ingest;

/// <summary>
/// Answers in the request's encoding, as OTLP/HTTP requires: 200 with an <c>Export…ServiceResponse</c>
/// (protobuf bytes, or proto3 JSON such as <c>{"partialSuccess":{"rejectedSpans":"2","errorMessage":"..."}}</c>);
/// errors of a protobuf request as a protobuf <c>google.rpc.Status</c>, errors of a JSON request as problem details
/// like the rest of the API.
/// </summary>
public static class OtlpResponses
{
    private const string Protobuf = "application/x-protobuf";

    /// <summary>The answer to an export: <paramref name="response"/> when accepted (partly or fully), else 400 or 403.</summary>
    public static IResult Answer(HttpContext http, IngestEncoding encoding, OtlpExportResult result, IMessage response) => result.Outcome switch
    {
        OtlpExportOutcome.Unavailable => Unavailable(http, encoding, result.Message, result.RetryAfter),
        OtlpExportOutcome.Forbidden => Error(encoding, 403, "Forbidden", result.Message ?? "Another project's data."),
        OtlpExportOutcome.Invalid => Error(encoding, 400, "Bad request", result.Message ?? "The request is invalid.", result.Limit),
        _ => encoding == IngestEncoding.OtlpProtobuf
            ? Results.Bytes(response.ToByteArray(), Protobuf)
            : Results.Text(response.CalculateSize() == 0 ? "{}" : JsonFormatter.Default.Format(response), "application/json"),
    };

    /// <summary>503 with Retry-After: the database cannot take the batch now and kept nothing of it (OTLP: UNAVAILABLE, retryable).</summary>
    public static IResult Unavailable(HttpContext http, IngestEncoding encoding, string? message, TimeSpan? retryAfter)
    {
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling((retryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Error(encoding, 503, "Service unavailable", message ?? "The database cannot take writes now; retry later.");
    }

    public static IResult Error(IngestEncoding encoding, int status, string title, string detail, string? limit = null)
    {
        if (encoding != IngestEncoding.OtlpProtobuf) return ApiProblems.Status(status, title, detail, limit);
        var body = new RpcStatus { Code = GrpcCode(status), Message = limit is null ? detail : $"{detail} ({limit})" };
        return new ProtobufStatusResult(body.ToByteArray(), status);
    }

    /// <summary>Results.Bytes cannot set a status code; an error body needs one.</summary>
    private sealed class ProtobufStatusResult(byte[] body, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = Protobuf;
            http.Response.ContentLength = body.Length;
            return http.Response.Body.WriteAsync(body).AsTask();
        }
    }

    /// <summary>The gRPC status code that matches an HTTP status (google.rpc.Code).</summary>
    private static int GrpcCode(int httpStatus) => httpStatus switch
    {
        400 or 415 => 3,  // INVALID_ARGUMENT
        401 => 16,        // UNAUTHENTICATED
        403 => 7,         // PERMISSION_DENIED
        413 or 429 => 8,  // RESOURCE_EXHAUSTED
        503 => 14,        // UNAVAILABLE
        _ => 2,           // UNKNOWN
    };
}
