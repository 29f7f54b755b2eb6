using Microsoft.Extensions.Options;
using Vigil.Core.Ingest;
using Vigil.Core.Ingest.Otlp;
using Vigil.Web.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Ingest;

public static class IngestEndpoints
{
    public static IServiceCollection AddVigilIngest(this IServiceCollection services) =>
        services.AddSingleton<IngestLimiter>();

    public static IEndpointRouteBuilder MapIngestEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/traces", IngestAsync)
            .RequireAuthorization(AuthExtensions.ProjectKeyPolicy)
            .WithTags("Ingest")
            .WithName("IngestTraces")
            .WithSummary("Ingest a batch of spans: native Vigil JSON, OTLP/HTTP JSON or OTLP/HTTP protobuf (gzip accepted)")
            .Accepts<object>("application/json", "application/x-protobuf")
            .Produces<IngestResponse>(StatusCodes.Status201Created)
            .Produces(StatusCodes.Status200OK, contentType: "application/x-protobuf")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> IngestAsync(
        HttpContext http, IngestService ingest, IngestLimiter limiter, IOptions<IngestOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        var limits = options.Value;
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var encoding = mediaType switch
        {
            "application/x-protobuf" or "application/protobuf" => IngestEncoding.OtlpProtobuf,
            "application/json" => IngestEncoding.Native, // refined by the body's shape below
            _ => (IngestEncoding?)null,
        };
        if (encoding is null)
            return ApiProblems.Status(415, "Unsupported media type",
                $"Content-Type '{mediaType ?? "(none)"}' is not supported; send application/json (native or OTLP/JSON) or application/x-protobuf (OTLP).");

        using var lease = limiter.TryEnter();
        if (!lease.IsAcquired)
        {
            http.Response.Headers.RetryAfter = "1";
            return OtlpResponses.Error(encoding.Value, 503, "Service unavailable",
                $"The server is handling {limiter.Limit} ingest requests already; retry shortly.", "Vigil:Ingest:MaxConcurrentRequests");
        }

        var (read, body) = await IngestBodyReader.ReadAsync(http.Request, limits.MaxBodyBytes, ct);
        using var _ = body;
        switch (read)
        {
            case IngestBodyReader.Outcome.TooLarge:
                return OtlpResponses.Error(encoding.Value, 413, "Payload too large", $"The body exceeds {limits.MaxBodyBytes} bytes.", "Vigil:Ingest:MaxBodyBytes");
            case IngestBodyReader.Outcome.UnsupportedEncoding:
                return OtlpResponses.Error(encoding.Value, 415, "Unsupported media type",
                    $"Content-Encoding '{http.Request.Headers.ContentEncoding}' is not supported; send gzip or no encoding.");
            case IngestBodyReader.Outcome.CorruptCompression:
                return OtlpResponses.Error(encoding.Value, 400, "Bad request", "The body is not valid gzip.");
        }

        if (encoding == IngestEncoding.Native && PayloadShape.Detect(body!.Memory.Span) == PayloadShape.Kind.OtlpJson)
            encoding = IngestEncoding.OtlpJson;

        var projectId = http.User.GetProjectId();
        return encoding == IngestEncoding.Native
            ? await IngestNativeAsync(http, body!, projectId, ingest, limits, ct)
            : await IngestOtlpAsync(http, body!, encoding.Value, projectId, ingest, limits, loggers.CreateLogger("Vigil.Web.Ingest.Otlp"), ct);
    }

    private static async Task<IResult> IngestNativeAsync(HttpContext http, RequestBody body, string projectId, IngestService ingest, IngestOptions limits, CancellationToken ct)
    {
        IngestBatch batch;
        try
        {
            batch = NativeBatchParser.Parse(body.Memory, limits);
        }
        catch (IngestFormatException ex)
        {
            return ApiProblems.BadRequest(ex.Message, ex.Limit);
        }

        var result = await ingest.IngestAsync(projectId, batch, IngestMode.AllOrNothing, ct);
        return result.Outcome switch
        {
            IngestOutcome.Unavailable => Unavailable(http, result, IngestEncoding.Native),
            IngestOutcome.Forbidden => ApiProblems.Status(403, "Forbidden", result.Message!),
            IngestOutcome.Invalid => ApiProblems.Invalid(
                result.Errors.OrderBy(e => e.SpanIndex ?? -1).GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                $"{result.Errors.Select(e => e.SpanIndex).Distinct().Count()} span(s) are invalid; nothing of the batch was written."),
            _ => result.TraceIds.Count == 0
                ? ApiProblems.BadRequest("The batch has no spans.")
                : TypedResults.Created($"/v1/traces/{Uri.EscapeDataString(result.TraceIds[0])}",
                    new IngestResponse(result.TraceIds[0], result.SpanCount, result.TraceIds)),
        };
    }

    /// <summary>
    /// OTLP: invalid spans are dropped and reported as partial success (the valid ones are kept), so that an exporter
    /// does not retry a request that can never succeed.
    /// </summary>
    private static async Task<IResult> IngestOtlpAsync(
        HttpContext http, RequestBody body, IngestEncoding encoding, string projectId, IngestService ingest, IngestOptions limits, ILogger logger, CancellationToken ct)
    {
        IngestBatch batch;
        try
        {
            var request = encoding == IngestEncoding.OtlpProtobuf
                ? OtlpProtobufReader.Read(body.Memory)
                : OtlpJsonReader.Read(body.Memory, limits);
            batch = OtlpMapper.Map(request, limits);
        }
        catch (IngestFormatException ex)
        {
            // 400 for a limit too (span count, depth), as for the native format; only the byte size is a 413.
            logger.LogDebug("Undecodable OTLP request for {ProjectId}: {Message}", projectId, ex.Message);
            return OtlpResponses.Error(encoding, 400, "Bad request", ex.Message, ex.Limit);
        }

        var result = await ingest.IngestAsync(projectId, batch, IngestMode.DropInvalid, ct);
        if (result.Outcome == IngestOutcome.Unavailable) return Unavailable(http, result, encoding);
        if (result.Outcome != IngestOutcome.Accepted)
            return OtlpResponses.Error(encoding, result.Outcome == IngestOutcome.Forbidden ? 403 : 400,
                result.Outcome == IngestOutcome.Forbidden ? "Forbidden" : "Bad request", result.Message ?? Describe(result.Errors));

        if (result.RejectedCount > 0)
            logger.LogInformation("OTLP request for {ProjectId}: kept {SpanCount} spans, rejected {RejectedCount}: {Errors}",
                projectId, result.SpanCount, result.RejectedCount, Describe(result.Errors));
        return OtlpResponses.Success(encoding, result.RejectedCount, result.RejectedCount > 0 ? Describe(result.Errors) : null);
    }

    /// <summary>503 with Retry-After: the database cannot take the batch now and kept nothing of it (OTLP: UNAVAILABLE, retryable).</summary>
    private static IResult Unavailable(HttpContext http, IngestResult result, IngestEncoding encoding)
    {
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling((result.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return OtlpResponses.Error(encoding, 503, "Service unavailable", result.Message ?? "The database cannot take writes now; retry later.");
    }

    /// <summary>A short human-readable list for errorMessage (the spec's "why"); capped so one bad batch cannot bloat the response.</summary>
    private static string Describe(IReadOnlyList<IngestError> errors)
    {
        const int max = 10;
        var text = string.Join("; ", errors.Take(max).Select(e => $"{e.Path} {e.Message}"));
        return errors.Count > max ? $"{text}; and {errors.Count - max} more" : text;
    }
}
