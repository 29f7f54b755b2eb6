using System.Text.Json;
using System.Text.Json.Serialization;
using Scalar.AspNetCore;

namespace Vigil.Web.Api;

public static class ApiExtensions
{
    /// <summary>snake_case JSON, problem details for every error, and the OpenAPI document.</summary>
    public static IServiceCollection AddVigilApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            // The default "traceId" (W3C activity id) reads like a Vigil trace id in this API: call it request_id.
            ctx.ProblemDetails.Extensions.Remove("traceId");
            ctx.ProblemDetails.Extensions.Remove("trace_id");
            ctx.ProblemDetails.Extensions["request_id"] = ctx.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<StorageFaultHandler>();
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Vigil API";
            doc.Info.Description = "Ingest and query LLM traces. Authenticate with 'Authorization: Bearer <project API key>'.";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static WebApplication MapVigilApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/scalar").AllowAnonymous();
        return app;
    }
}
