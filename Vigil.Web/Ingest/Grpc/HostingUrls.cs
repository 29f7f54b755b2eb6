using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Vigil.Web.Ingest.Grpc;

/// <summary>
/// The server's HTTP addresses, re-declared as Kestrel endpoints. Kestrel binds either the endpoints declared in code or
/// the hosting URLs (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, launch settings, <c>ASPNETCORE_HTTP_PORTS</c>), never both, so
/// adding the OTLP/gRPC endpoint in code has to declare those too or the dashboard would silently lose its port.
/// </summary>
internal static class HostingUrls
{
    public const string Default = "http://localhost:5000";

    /// <summary>Where <see cref="MoveToKestrel"/> keeps the resolved URLs.</summary>
    public const string Setting = "Vigil:Otlp:HttpUrls";

    /// <summary>
    /// Takes the hosting URLs away from the host (which would otherwise have Kestrel log that it overrides them) and keeps
    /// them for <see cref="OtlpGrpcKestrelSetup"/>, which declares them as endpoints.
    /// </summary>
    public static void MoveToKestrel(IConfiguration configuration)
    {
        configuration[Setting] = string.Join(';', Resolve(configuration));
        // Not "": the host falls back to the URLs it read at start (ASPNETCORE_URLS, launch settings) when the app's are
        // empty, and Kestrel then warns that code-declared endpoints override them. ";" is a list of no URLs.
        configuration[WebHostDefaults.ServerUrlsKey] = ";";
        configuration[WebHostDefaults.HttpPortsKey] = "";
        configuration[WebHostDefaults.HttpsPortsKey] = "";
    }

    /// <summary>The URLs <see cref="MoveToKestrel"/> kept.</summary>
    public static IReadOnlyList<string> Moved(IConfiguration configuration) =>
        (configuration[Setting] ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The addresses ASP.NET Core would bind, in its order of precedence; none when Kestrel's own configuration declares endpoints.</summary>
    public static IReadOnlyList<string> Resolve(IConfiguration configuration)
    {
        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls)
            return urls.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var ports = Ports(configuration[WebHostDefaults.HttpPortsKey], "http")
            .Concat(Ports(configuration[WebHostDefaults.HttpsPortsKey], "https")).ToList();
        if (ports.Count > 0) return ports;
        // Endpoints in Kestrel's own configuration section bind beside the ones declared in code.
        if (configuration.GetSection("Kestrel:Endpoints").GetChildren().Any()) return [];
        return [Default];
    }

    private static IEnumerable<string> Ports(string? ports, string scheme) =>
        (ports ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(p => $"{scheme}://*:{p}");

    /// <summary>Listens on <paramref name="url"/> the way Kestrel reads a hosting URL (localhost, an IP, or any other host = all interfaces).</summary>
    public static void Listen(KestrelServerOptions kestrel, string url, Action<ListenOptions> configure)
    {
        var address = BindingAddress.Parse(url);
        var https = address.Scheme.Equals("https", StringComparison.OrdinalIgnoreCase);
        var port = address.Port;
        Action<ListenOptions> options = https ? o => { o.UseHttps(); configure(o); } : configure;
        if (address.IsUnixPipe) kestrel.ListenUnixSocket(address.UnixPipePath, options);
        else if (address.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            // Kestrel cannot pick one free port for both loopback addresses; port 0 means "any free port" on 127.0.0.1.
            if (port == 0) kestrel.Listen(IPAddress.Loopback, 0, options);
            else kestrel.ListenLocalhost(port, options);
        }
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip)) kestrel.Listen(ip, port, options);
        else kestrel.ListenAnyIP(port, options);
    }
}
