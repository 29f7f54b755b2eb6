using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Vigil.Web.Hosting;

/// <summary>
/// What happens when another process already listens where Vigil would: Kestrel's bind failure is an unhandled
/// exception (exit code 134 and a stack trace), so the run says which address is taken and which setting moves it.
/// </summary>
internal static class PortInUse
{
    /// <summary>Runs the server; exit code 1 with one clear line when an address is taken.</summary>
    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (IOException ex) when (ex.InnerException is AddressInUseException)
        {
            app.Logger.LogCritical("{Reason} Another process listens there: stop it, or give Vigil another address " +
                "(--urls or ASPNETCORE_URLS for the dashboard and API; Vigil:Otlp:GrpcEndpoint for OTLP/gRPC, empty turns it off).", ex.Message);
            // Disposing flushes the console logger, whose queue would otherwise die with the process.
            await app.DisposeAsync();
            return 1;
        }
    }

    /// <summary>
    /// Whether another process listens on <paramref name="address"/>'s port (for localhost, on 127.0.0.1, where clients
    /// usually send). Port 0 is never taken. A probe, so a race with another starting process remains possible; Kestrel's
    /// own bind then fails as <see cref="RunOrExplainAsync"/> reports.
    /// </summary>
    public static bool IsTaken(BindingAddress address)
    {
        if (address.IsUnixPipe || address.IsNamedPipe || address.Port <= 0) return false;
        var ip = address.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(address.Host.Trim('[', ']'), out var parsed) ? parsed
            : IPAddress.Any;
        using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(ip, address.Port));
            socket.Listen();
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
    }
}
