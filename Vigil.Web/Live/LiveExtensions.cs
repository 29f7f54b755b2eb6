using System.Text.Json;

namespace Vigil.Web.Live;

public static class LiveExtensions
{
    public static IServiceCollection AddVigilLive(this IServiceCollection services)
    {
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.AddHostedService<LiveHubForwarder>();
        return services;
    }

    public static IEndpointRouteBuilder MapLiveHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<LiveHub>("/hubs/live");
        return app;
    }
}
