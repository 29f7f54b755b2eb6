using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Projects;

namespace Vigil.Web.Tests.Infrastructure;

/// <summary>
/// The real Vigil.Web host over a real SQLite file in a temp folder, with a headless-initialized project
/// (<see cref="ProjectId"/>, <see cref="ApiKey"/>). One per test class (IClassFixture).
/// Call <see cref="StartKestrel"/> first for tests that need a real socket on 127.0.0.1.
/// </summary>
public class VigilWebFactory : WebApplicationFactory<Program>
{
    public const string ProjectId = "test-project";
    public const string ApiKey = "vgl_test_key_for_integration_tests_0001";

    private readonly string _dir;
    private readonly bool _ownsDir;
    private readonly Dictionary<string, string?> _settings = [];

    public VigilWebFactory() : this(null) { }

    /// <summary>With <paramref name="dir"/>, reuses that folder's database (a "restart"); the caller deletes it.</summary>
    internal VigilWebFactory(string? dir)
    {
        _ownsDir = dir is null;
        _dir = dir ?? Path.Combine(Path.GetTempPath(), "vigil-web-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    public string Dir => _dir;

    public string DbPath => Path.Combine(_dir, "vigil.db");

    /// <summary>Extra configuration, set before the host starts.</summary>
    public VigilWebFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Serve on a real Kestrel socket (127.0.0.1, random port) instead of the in-memory TestServer.</summary>
    public VigilWebFactory StartKestrel()
    {
        UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Vigil", $"Data Source={DbPath}");
        if (!_settings.ContainsKey("Vigil:Init:ProjectId"))
        {
            builder.UseSetting("Vigil:Init:ProjectId", ProjectId);
            builder.UseSetting("Vigil:Init:ApiKey", ApiKey);
        }
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A client that sends <paramref name="apiKey"/> (default: the test project's) as a Bearer token.</summary>
    public HttpClient ClientWithKey(string? apiKey = ApiKey)
    {
        var client = CreateClient();
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>Creates another project and returns its key.</summary>
    public async Task<string> CreateProjectAsync(string id)
    {
        var (_, secret) = await Get<ProjectService>().CreateAsync(id, id, null);
        return secret;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_ownsDir)
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
