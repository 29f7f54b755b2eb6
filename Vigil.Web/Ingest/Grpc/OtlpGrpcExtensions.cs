using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Vigil.Core.Ingest;

namespace Vigil.Web.Ingest.Grpc;

public static class OtlpGrpcExtensions
{
    /// <summary>
    /// OTLP/gRPC on its own HTTP/2 endpoint (<c>Vigil:Otlp:GrpcEndpoint</c>), with OTLP/HTTP's limits. When it is enabled,
    /// the hosting URLs move from the host (which would bind them) to <see cref="HostingUrls"/> (which declares them to
    /// Kestrel beside the gRPC endpoint): Kestrel binds code-declared endpoints or the host's URLs, never both.
    /// </summary>
    public static WebApplicationBuilder AddVigilOtlpGrpc(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (configuration.GetSection(OtlpGrpcOptions.Section).Get<OtlpGrpcOptions>() is not { Enabled: false })
            HostingUrls.MoveToKestrel(configuration);

        var services = builder.Services;
        services.AddOptions<OtlpGrpcOptions>().Bind(configuration.GetSection(OtlpGrpcOptions.Section)).ValidateOnStart();
        // Hand-written: the check is whether Kestrel can parse the address, which no validation attribute expresses.
        services.AddSingleton<IValidateOptions<OtlpGrpcOptions>, Validator>();
        services.AddSingleton<OtlpGrpcListener>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, OtlpGrpcKestrelSetup>();
        services.AddGrpc(o =>
        {
            // Unknown services and methods fall through to the rest of the app (a 404) instead of being mapped as endpoints.
            o.IgnoreUnknownServices = true;
        });
        // The body limit of OTLP/HTTP; gzip (grpc-encoding) is accepted by default, and the limit holds after decompression.
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<IngestOptions>>((o, ingest) =>
            o.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, ingest.Value.MaxBodyBytes));
        return builder;
    }

    /// <summary>Maps TraceService and LogsService when the endpoint is enabled; its connections serve gRPC only.</summary>
    public static WebApplication MapOtlpGrpc(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<OtlpGrpcOptions>>().Value.Enabled) return app;
        app.Use((http, next) =>
        {
            if (GrpcCalls.OnGrpcEndpoint(http) && !GrpcCalls.IsGrpc(http.Request))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return next(http);
        });
        app.MapGrpcService<TraceGrpcService>();
        app.MapGrpcService<LogsGrpcService>();
        return app;
    }

    private sealed class Validator : IValidateOptions<OtlpGrpcOptions>
    {
        public ValidateOptionsResult Validate(string? name, OtlpGrpcOptions options) =>
            options.Validate().ToList() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
