using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Vigil.Tests.Cluster;

/// <summary>
/// One Vigil instance of a cluster: the real Vigil.Web host on a Kestrel socket (127.0.0.1, free port), on a shared
/// PostgreSQL database and Redis, with the cluster's headless project, key, admin and automation key.
/// </summary>
public sealed class ClusterNode(string name, TestStorage storage, string? redis, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string ProjectId = "cluster-project";
    public const string ApiKey = "vgl_cluster_test_key_0000000000000001";
    public const string AdminEmail = "admin@cluster.test";
    public const string AdminPassword = "cluster-admin-password";
    public const string AdminApiKey = "vigil-cluster-admin-automation-key";

    public string Name { get; } = name;

    /// <summary>For example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public ClusterNode Start()
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
        foreach (var (k, v) in storage.Settings) builder.UseSetting(k, v);
        if (redis is not null) builder.UseSetting("Vigil:Redis:ConnectionString", redis);
        builder.UseSetting("Vigil:Init:ProjectId", ProjectId);
        builder.UseSetting("Vigil:Init:ApiKey", ApiKey);
        builder.UseSetting("Vigil:Init:AdminEmail", AdminEmail);
        builder.UseSetting("Vigil:Init:AdminPassword", AdminPassword);
        builder.UseSetting("Vigil:Init:AdminApiKey", AdminApiKey);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Vigil:Otlp:GrpcEndpoint", ""); // no fixed port 4317: test hosts run side by side
        if (settings is not null) foreach (var (k, v) in settings) builder.UseSetting(k, v);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A client over the real socket, sending <paramref name="apiKey"/> as a Bearer token (none when null).</summary>
    public HttpClient Client(string? apiKey = ApiKey, HttpMessageHandler? handler = null)
    {
        var client = handler is null ? new HttpClient() : new HttpClient(handler);
        client.BaseAddress = BaseAddress;
        client.Timeout = TimeSpan.FromSeconds(30);
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }
}
