using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Vigil.Core.Alerting;

namespace Vigil.Web.Alerting;

public static class AlertingEndpoints
{
    /// <summary>
    /// <c>/v1/channels</c> and <c>/v1/monitors</c>; and, unless <c>Vigil:Alerting:DashboardUrl</c> is set, messages link to
    /// the address the server listens on.
    /// </summary>
    public static IEndpointRouteBuilder MapAlertingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapChannelEndpoints();
        app.MapMonitorEndpoints();
        var services = app.ServiceProvider;
        services.GetRequiredService<DashboardLinks>().UseServerAddress(() => ServerAddress(services.GetService<IServer>()));
        return app;
    }

    /// <summary>The first address Kestrel listens on, with a wildcard host made <c>localhost</c>; null before it has bound.</summary>
    internal static string? ServerAddress(IServer? server)
    {
        var address = server?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null) return null;
        address = address.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost");
        return Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;
    }
}
