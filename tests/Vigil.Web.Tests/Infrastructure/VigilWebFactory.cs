using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Projects;
using Vigil.Tests;

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
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "admin-password-for-tests";

    private readonly TestStorage _storage;
    private readonly bool _ownsStorage;
    private readonly Dictionary<string, string?> _settings = [];

    public VigilWebFactory() : this(null) { }

    /// <summary>With <paramref name="storage"/>, reuses that database and folder (a "restart"); the caller disposes it.</summary>
    internal VigilWebFactory(TestStorage? storage)
    {
        _ownsStorage = storage is null;
        _storage = storage ?? TestStorage.Create("vigil-web-tests");
    }

    public TestStorage Storage => _storage;

    public string Dir => _storage.Dir;

    public string DbPath => _storage.DbPath;

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
        foreach (var (k, v) in _storage.Settings) builder.UseSetting(k, v);
        if (!_settings.ContainsKey("Vigil:Init:ProjectId"))
        {
            builder.UseSetting("Vigil:Init:ProjectId", ProjectId);
            builder.UseSetting("Vigil:Init:ApiKey", ApiKey);
        }
        if (!_settings.ContainsKey("Vigil:Init:AdminEmail"))
        {
            builder.UseSetting("Vigil:Init:AdminEmail", AdminEmail);
            builder.UseSetting("Vigil:Init:AdminPassword", AdminPassword);
        }
        // No OTLP/gRPC endpoint unless a test asks for one (on port 0): the default port (4317) is for a real run only.
        if (!_settings.ContainsKey("Vigil:Otlp:GrpcEndpoint")) builder.UseSetting("Vigil:Otlp:GrpcEndpoint", "");
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

    /// <summary>A client signed in through the real form (GET the page for its antiforgery token, POST /account/login).</summary>
    public async Task<HttpClient> SignedInClientAsync(string email = AdminEmail, string password = AdminPassword)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.Timeout = TimeSpan.FromSeconds(15);
        var response = await client.PostAsync("/account/login", await LoginFormAsync(client, email, password));
        if (response.Headers.Location?.OriginalString != "/")
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        return client;
    }

    /// <summary>Signs in through the form and returns the dashboard cookie as a <c>Cookie</c> header value (for the hub client).</summary>
    public async Task<string> SignInCookieAsync(string email = AdminEmail, string password = AdminPassword)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await client.PostAsync("/account/login", await LoginFormAsync(client, email, password));
        var cookie = response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.FirstOrDefault(v => v.StartsWith("vigil.auth=", StringComparison.Ordinal)) : null;
        return cookie?.Split(';')[0] ?? throw new InvalidOperationException($"Sign-in as {email} set no cookie: {(int)response.StatusCode} {response.Headers.Location}");
    }

    /// <summary>Creates a member (no role) of <paramref name="projectIds"/>; answers the password.</summary>
    public async Task<string> CreateMemberAsync(string email, params string[] projectIds)
    {
        const string password = "member-password-1";
        var (result, user) = await Get<Vigil.Web.Accounts.UserAdmin>().CreateAsync(email, password, Vigil.Core.Accounts.VigilRoles.Member);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        foreach (var p in projectIds) await Get<Vigil.Core.Accounts.MembershipService>().AddAsync(p, user!.Id);
        return password;
    }

    /// <summary>The sign-in form's fields, with the antiforgery token from a GET of the page (its cookie stays in the client).</summary>
    public static async Task<FormUrlEncodedContent> LoginFormAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var token = await AntiforgeryTokenAsync(client, "/account/login");
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["email"] = email, ["password"] = password };
        if (returnUrl is not null) fields["returnUrl"] = returnUrl;
        return new FormUrlEncodedContent(fields);
    }

    /// <summary>Creates a member of <paramref name="projectIds"/> and returns a client signed in as them.</summary>
    public async Task<HttpClient> MemberClientAsync(string email, params string[] projectIds) =>
        await SignedInClientAsync(email, await CreateMemberAsync(email, projectIds));

    /// <summary>The antiforgery token of the form on <paramref name="page"/> (its cookie stays in the client).</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        return token.Length > 0 ? System.Net.WebUtility.HtmlDecode(token) : throw new InvalidOperationException($"No antiforgery token on {page}");
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
        if (_ownsStorage) await _storage.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
