using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;
using VigilRedisOptions = Vigil.Core.Cluster.RedisOptions;

namespace Vigil.Web.Live;

public static class LiveExtensions
{
    /// <summary>
    /// The hub and its forwarder. With <c>Vigil:Redis:ConnectionString</c> the hub runs on the SignalR Redis backplane, so a
    /// client on any instance receives what every instance publishes. Only <see cref="LiveHub"/> uses it: Blazor's own
    /// circuits stay in-process (the proxy keeps a browser on its instance), so the dashboard works while Redis is away.
    /// </summary>
    public static IServiceCollection AddVigilLive(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.AddHostedService<LiveHubForwarder>();
        var redis = configuration.GetSection(VigilRedisOptions.Section).Get<VigilRedisOptions>() ?? new VigilRedisOptions();
        if (redis.Enabled)
        {
            services.Configure<RedisOptions>(o =>
            {
                o.Configuration = redis.ToConfiguration();
                o.Configuration.ChannelPrefix = RedisChannel.Literal(redis.ChannelPrefix + ":signalr:");
            });
            services.AddSingleton<HubLifetimeManager<LiveHub>, RedisHubLifetimeManager<LiveHub>>();
        }
        return services;
    }

    public static IEndpointRouteBuilder MapLiveHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<LiveHub>("/hubs/live");
        return app;
    }
}
