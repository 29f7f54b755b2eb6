using Microsoft.Extensions.Options;
using Vigil.Core.Ingest;
using Vigil.Core.Ingest.Otlp;
using Vigil.Core.Ingest.Otlp.Proto;
using Vigil.Web.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Ingest;

public static class IngestEndpoints
{
    public static IServiceCollection AddVigilIngest(this IServiceCollection services) =>
        services.AddSingleton<IngestLimiter>();

    public static IEndpointRouteBuilder MapIngestEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/traces", IngestTracesAsync)
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
        app.MapPost("/v1/logs", IngestLogsAsync)
            .RequireAuthorization(AuthExtensions.ProjectKeyPolicy)
            .WithTags("Ingest")
            .WithName("IngestLogs")
            .WithSummary("OTLP/HTTP logs (JSON or protobuf, gzip accepted): GenAI message events fill their span's input and output, other records become its events")
            .Accepts<object>("application/json", "application/x-protobuf")
            .Produces(StatusCodes.Status200OK, contentType: "application/x-protobuf")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> IngestTracesAsync(
        HttpContext http, IngestService ingest, OtlpIngestService otlp, IngestLimiter limiter, IOptions<IngestOptions> options, CancellationToken ct)
    {
        var limits = options.Value;
        var (request, error) = await IngestRequest.ReadAsync(http, limiter, limits,
            "application/json (native or OTLP/JSON) or application/x-protobuf (OTLP)", ct);
        if (error is not null) return error;
        using (request)
        {
            var projectId = http.User.GetProjectId();
            if (request!.Encoding == IngestEncoding.OtlpJson && PayloadShape.Detect(request.Body.Memory.Span) != PayloadShape.Kind.OtlpJson)
                return await IngestNativeAsync(http, request.Body, projectId, ingest, limits, ct);

            ExportTraceServiceRequest export;
            try
            {
                export = request.Encoding == IngestEncoding.OtlpProtobuf
                    ? OtlpProtobufReader.Read(request.Body.Memory)
                    : OtlpJsonReader.Read(request.Body.Memory, limits);
            }
            catch (IngestFormatException ex)
            {
                return OtlpResponses.Error(request.Encoding, 400, "Bad request", ex.Message, ex.Limit);
            }
            var result = await otlp.ExportTracesAsync(projectId, export, ct);
            return OtlpResponses.Answer(http, request.Encoding, result, result.ToTraceResponse());
        }
    }

    private static async Task<IResult> IngestLogsAsync(
        HttpContext http, OtlpIngestService otlp, IngestLimiter limiter, IOptions<IngestOptions> options, CancellationToken ct)
    {
        var limits = options.Value;
        var (request, error) = await IngestRequest.ReadAsync(http, limiter, limits, "application/json (OTLP/JSON) or application/x-protobuf (OTLP)", ct);
        if (error is not null) return error;
        using (request)
        {
            ExportLogsServiceRequest export;
            try
            {
                export = request!.Encoding == IngestEncoding.OtlpProtobuf
                    ? OtlpProtobufReader.ReadLogs(request.Body.Memory)
                    : OtlpJsonReader.ReadLogs(request.Body.Memory, limits);
            }
            catch (IngestFormatException ex)
            {
                return OtlpResponses.Error(request!.Encoding, 400, "Bad request", ex.Message, ex.Limit);
            }
            var result = await otlp.ExportLogsAsync(http.User.GetProjectId(), export, ct);
            return OtlpResponses.Answer(http, request.Encoding, result, result.ToLogsResponse());
        }
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
            IngestOutcome.Unavailable => OtlpResponses.Unavailable(http, IngestEncoding.OtlpJson, result.Message, result.RetryAfter),
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
}
