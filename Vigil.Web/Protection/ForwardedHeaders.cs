using Vigil.Core;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Vigil.Web.Protection;

/// <summary>
/// Behind a reverse proxy every request comes from the proxy's address: per-address rate limits would throttle all clients
/// at once, logs would name the proxy, and the sign-in cookie would not know the client used HTTPS. From a trusted proxy
/// (<see cref="ForwardedHeadersSettings"/>) <c>X-Forwarded-For</c> gives the client address and <c>X-Forwarded-Proto</c>
/// the scheme; from anyone else both are ignored.
/// </summary>
public static class ForwardedHeaders
{
    public static IServiceCollection AddVigilForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ForwardedHeadersSettings, ForwardedHeadersSettingsValidator>(configuration, ForwardedHeadersSettings.Section);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((o, settings) =>
        {
            o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; Vigil trusts exactly what is configured.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still holds loopback and is still consulted
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in settings.Value.KnownProxies) o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in settings.Value.KnownNetworks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            // Each hop is taken only while the address it came from is trusted, so a chain of trusted proxies unwinds fully.
            o.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>
    /// First in the pipeline, so everything after sees the client's address and scheme. With no proxy configured the
    /// middleware is left out: ASP.NET Core's believes every sender when both of its lists are empty.
    /// </summary>
    public static IApplicationBuilder UseVigilForwardedHeaders(this IApplicationBuilder app)
    {
        var settings = app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value;
        return settings.KnownProxies.Length + settings.KnownNetworks.Length > 0 ? app.UseForwardedHeaders() : app;
    }
}
