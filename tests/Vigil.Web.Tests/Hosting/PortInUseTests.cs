using System.Net;
using System.Net.Sockets;
using Vigil.Tests;

namespace Vigil.Web.Tests.Hosting;

/// <summary>
/// A real server process started where another process already listens: a taken address that the user chose ends the
/// start with one clear line and exit code 1 (it was an unhandled exception: exit code 134 and a stack trace); the
/// default OTLP/gRPC port taken (an OpenTelemetry Collector, a second Vigil) leaves gRPC off with a warning and the
/// server up, so the no-configuration command still runs.
/// </summary>
public sealed class PortInUseTests : IAsyncLifetime
{
    private const string GrpcSetting = "Vigil__Otlp__GrpcEndpoint";
    private readonly TestStorage _storage = TestStorage.Create("vigil-port-tests");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _storage.DisposeAsync();

    private Dictionary<string, string> Environment(params (string Key, string Value)[] settings)
    {
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__Vigil"] = _storage.ConnectionString,
            ["Vigil__Database__Provider"] = _storage.IsOnPostgres ? "Postgres" : "Sqlite",
        };
        foreach (var (k, v) in settings) env[k] = v;
        return env;
    }

    [Fact]
    public async Task A_taken_dashboard_port_ends_the_start_with_exit_code_1_and_names_the_address_and_the_setting()
    {
        using var holder = Hold(0);
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            VigilProcess.StartAsync(Environment(("ASPNETCORE_URLS", $"http://127.0.0.1:{port}"))));

        Assert.Contains("exited with code 1 ", ex.Message);
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
        Assert.Contains("--urls or ASPNETCORE_URLS", ex.Message);
        Assert.DoesNotContain("Unhandled exception", ex.Message);
    }

    [Fact]
    public async Task A_taken_grpc_endpoint_that_was_configured_ends_the_start_with_exit_code_1()
    {
        using var holder = Hold(0);
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            VigilProcess.StartAsync(Environment((GrpcSetting, $"http://127.0.0.1:{port}"))));

        Assert.Contains("exited with code 1 ", ex.Message);
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
        Assert.Contains("Vigil:Otlp:GrpcEndpoint", ex.Message);
        Assert.DoesNotContain("Unhandled exception", ex.Message);
    }

    [Fact]
    public async Task The_default_grpc_port_taken_leaves_grpc_off_with_a_warning_and_the_server_up()
    {
        // Held here; when another process on the machine already holds it, the condition under test holds all the same.
        using var holder = TryHold(4317);

        await using var vigil = await VigilProcess.StartAsync(Environment(), unset: [GrpcSetting]);

        using var http = vigil.Client();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        Assert.Contains("OTLP/gRPC is off: its default address http://localhost:4317 is taken", vigil.Output);
        Assert.DoesNotContain(":4317", string.Join('\n', vigil.Output.Split('\n').Where(l => l.Contains("Now listening on"))));
    }

    /// <summary>
    /// Finding: with the hosting URLs in ASPNETCORE_URLS (as <c>dotnet run</c>'s launch settings set them) and OTLP/gRPC on,
    /// every start warned "Overriding address(es) … Binding to endpoints defined via IConfiguration and/or UseKestrel()
    /// instead", a warning the user cannot act on: the host fell back to the URLs it had read when Vigil emptied them.
    /// </summary>
    [Fact]
    public async Task Hosting_urls_beside_the_grpc_endpoint_start_without_a_warning()
    {
        int grpcPort;
        using (var probe = Hold(0)) grpcPort = ((IPEndPoint)probe.LocalEndpoint).Port;

        await using var vigil = await VigilProcess.StartAsync(Environment((GrpcSetting, $"http://127.0.0.1:{grpcPort}")));

        using var http = vigil.Client();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        Assert.Contains($"Now listening on: http://127.0.0.1:{grpcPort}", vigil.Output);
        Assert.DoesNotContain("warn:", vigil.Output);
    }

    private static TcpListener Hold(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return listener;
    }

    private static TcpListener? TryHold(int port)
    {
        try { return Hold(port); }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse) { return null; }
    }
}
