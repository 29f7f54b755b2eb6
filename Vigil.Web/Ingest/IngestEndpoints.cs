using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Vigil.Core.Ingest;
using Vigil.Web.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Ingest;

public static class IngestEndpoints
{
    public static IEndpointRouteBuilder MapIngestEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/traces", IngestAsync)
            .RequireAuthorization(AuthExtensions.ProjectKeyPolicy)
            .WithTags("Ingest")
            .WithName("IngestTraces")
            .WithSummary("Ingest a batch of spans (native Vigil JSON)")
            .Accepts<object>("application/json")
            .Produces<IngestResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Created<IngestResponse>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        HttpContext http, IngestService ingest, IOptions<IngestOptions> options, CancellationToken ct)
    {
        var limits = options.Value;
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is "application/x-protobuf" or "application/protobuf")
            return ApiProblems.Status(415, "Unsupported media type", "OTLP/HTTP protobuf is not accepted by this server yet; send the native JSON format (application/json with a \"spans\" array).");
        if (mediaType is not "application/json")
            return ApiProblems.Status(415, "Unsupported media type", $"Content-Type '{mediaType ?? "(none)"}' is not supported; send application/json.");

        using var body = await RequestBody.ReadAsync(http.Request.Body, http.Request.ContentLength, limits.MaxBodyBytes, ct);
        if (body is null)
            return ApiProblems.Status(413, "Payload too large", $"The body exceeds {limits.MaxBodyBytes} bytes.", "Vigil:Ingest:MaxBodyBytes");

        if (PayloadShape.Detect(body.Memory.Span) == PayloadShape.Kind.OtlpJson)
            return ApiProblems.Status(415, "Unsupported media type", "OTLP/HTTP JSON (resourceSpans) is not accepted by this server yet; send the native JSON format with a \"spans\" array.");

        IngestBatch batch;
        try
        {
            batch = NativeBatchParser.Parse(body.Memory, limits);
        }
        catch (IngestFormatException ex)
        {
            return ApiProblems.BadRequest(ex.Message, ex.Limit);
        }

        var projectId = http.User.GetProjectId();
        var result = await ingest.IngestAsync(projectId, batch, IngestMode.AllOrNothing, ct);
        return result.Outcome switch
        {
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
