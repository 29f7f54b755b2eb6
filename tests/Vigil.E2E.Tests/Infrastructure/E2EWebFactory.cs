using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Tests;

namespace Vigil.E2E.Tests.Infrastructure;

/// <summary>
/// The real Vigil.Web host on a Kestrel socket (127.0.0.1, random port) over a temporary SQLite file, with a headless project
/// and key (the same approach as Vigil.Web.Tests' VigilWebFactory).
/// </summary>
public sealed class E2EWebFactory : WebApplicationFactory<Program>
{
    public const string ProjectId = "test-project";
    public const string ApiKey = "vgl_test_key_for_integration_tests_0001";
    /// <summary>The headless admin (Vigil:Init:AdminEmail/AdminPassword) the browser signs in as.</summary>
    public const string AdminEmail = "admin@e2e.test";
    public const string AdminPassword = "e2e-admin-password";

    private readonly TestStorage _storage = TestStorage.Create("vigil-e2e-tests");

    private readonly bool _headlessAdmin;

    /// <param name="headlessAdmin">False: no admin is configured, so the first start issues the one-time setup link.</param>
    public E2EWebFactory(bool headlessAdmin = true)
    {
        _headlessAdmin = headlessAdmin;
    }

    public string DbPath => _storage.DbPath;

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public E2EWebFactory Start()
    {
        UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (k, v) in _storage.Settings) builder.UseSetting(k, v);
        builder.UseSetting("Vigil:Init:ProjectId", ProjectId);
        builder.UseSetting("Vigil:Init:ApiKey", ApiKey);
        if (_headlessAdmin)
        {
            builder.UseSetting("Vigil:Init:AdminEmail", AdminEmail);
            builder.UseSetting("Vigil:Init:AdminPassword", AdminPassword);
        }
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // No OTLP/gRPC endpoint: its default port (4317) is for a real run, never for a test host.
        builder.UseSetting("Vigil:Otlp:GrpcEndpoint", "");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        await _storage.DisposeAsync();
    }
}
