using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Projects;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Accounts;

/// <summary>A real Kestrel on 127.0.0.1 (so requests come from 127.0.0.1), a small per-address ingest window, logs kept.</summary>
public abstract class ForwardedFactory : VigilWebFactory
{
    public ConcurrentQueue<string> Logs { get; } = new();

    /// <param name="setting">The trust setting for loopback (KnownProxies or KnownNetworks), null for none.</param>
    protected ForwardedFactory(string? setting, string? value)
    {
        if (setting is not null) With($"Vigil:ForwardedHeaders:{setting}:0", value!);
        With("Vigil:RateLimits:IngestPerIp:PermitLimit", "2");
        With("Vigil:RateLimits:IngestPerIp:WindowSeconds", "3600");
        With("Vigil:RateLimits:FailedKeyPerIp:PermitLimit", "3");
        With("Vigil:RateLimits:FailedKeyPerIp:WindowSeconds", "3600");
        StartKestrel();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(new Sink(Logs)));
    }

    /// <summary>A browser-like client that says it comes through a proxy for <paramref name="forwardedFor"/> over <paramref name="proto"/>.</summary>
    public HttpClient Via(string forwardedFor, string? proto = null, string? apiKey = ApiKey)
    {
        // Over the socket, a plain client that does not follow redirects (the sign-in answers one to an https:// URL here).
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = ClientOptions.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        if (proto is not null) client.DefaultRequestHeaders.Add("X-Forwarded-Proto", proto);
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    private sealed class Sink(ConcurrentQueue<string> logs) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Enqueue(formatter(state, exception));
        public void Dispose() { }
    }
}

public sealed class TrustedProxyFactory() : ForwardedFactory("KnownProxies", "127.0.0.1");

public sealed class TrustedNetworkFactory() : ForwardedFactory("KnownNetworks", "127.0.0.0/8");

public sealed class UntrustedProxyFactory() : ForwardedFactory(null, null);

internal static class ForwardedChecks
{
    public const string Span = """{"spans":[{"span_id":"s1","trace_id":"forwarded"}]}""";

    public static async Task<string?> SignInCookieAsync(HttpClient client, string password)
    {
        var response = await client.PostAsync("/account/login", await VigilWebFactory.LoginFormAsync(client, VigilWebFactory.AdminEmail, password));
        return response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.FirstOrDefault(c => c.StartsWith("vigil.auth=", StringComparison.Ordinal)) : null;
    }
}

/// <summary>Finding: behind a reverse proxy every client had the proxy's address, so per-address limits throttled everyone at once.</summary>
public class TrustedProxyTests(TrustedProxyFactory factory) : IClassFixture<TrustedProxyFactory>
{
    [Fact]
    public async Task The_forwarded_address_is_the_client_for_rate_limits_and_logs()
    {
        var a = factory.Via("203.0.113.7");
        Assert.Equal(HttpStatusCode.Created, (await a.PostTracesAsync(ForwardedChecks.Span)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await a.PostTracesAsync(ForwardedChecks.Span)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await a.PostTracesAsync(ForwardedChecks.Span)).StatusCode);
        // Another client behind the same proxy has its own budget.
        Assert.Equal(HttpStatusCode.Created, (await factory.Via("198.51.100.9").PostTracesAsync(ForwardedChecks.Span)).StatusCode);
        // A chain "client, proxy" unwinds to the client while each hop is trusted: here the client's own entry.
        Assert.Equal(HttpStatusCode.Created, (await factory.Via("192.0.2.44, 127.0.0.1").PostTracesAsync(ForwardedChecks.Span)).StatusCode);

        await ForwardedChecks.SignInCookieAsync(factory.Via("203.0.113.99", apiKey: null), "wrong-password-for-forwarding");
        Assert.Contains(factory.Logs, l => l.Contains("Sign-in failed") && l.Contains("from 203.0.113.99"));
    }

    [Fact]
    public async Task Https_at_the_proxy_makes_the_sign_in_cookie_Secure()
    {
        var cookie = await ForwardedChecks.SignInCookieAsync(factory.Via("203.0.113.8", "https", apiKey: null), VigilWebFactory.AdminPassword);
        Assert.NotNull(cookie);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A proxy trusted through its network; failed key lookups, like every per-address limit, count per client.</summary>
public class TrustedNetworkTests(TrustedNetworkFactory factory) : IClassFixture<TrustedNetworkFactory>
{
    [Fact]
    public async Task Each_client_behind_a_trusted_network_has_its_own_budget_of_failed_key_lookups()
    {
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Via("203.0.113.7", apiKey: ApiKeySecret.Generate()).GetAsync("/v1/traces")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await factory.Via("203.0.113.7", apiKey: ApiKeySecret.Generate()).GetAsync("/v1/traces")).StatusCode);
        // Another client of the same proxy is not locked out by the first one's guessing.
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Via("198.51.100.9", apiKey: ApiKeySecret.Generate()).GetAsync("/v1/traces")).StatusCode);
        // And that client's real key works.
        Assert.Equal(HttpStatusCode.Created, (await factory.Via("198.51.100.9").PostTracesAsync(ForwardedChecks.Span)).StatusCode);
    }
}

public class UntrustedProxyTests(UntrustedProxyFactory factory) : IClassFixture<UntrustedProxyFactory>
{
    [Fact]
    public async Task Forwarded_headers_from_an_untrusted_address_are_ignored()
    {
        Assert.Equal(HttpStatusCode.Created, (await factory.Via("203.0.113.7").PostTracesAsync(ForwardedChecks.Span)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await factory.Via("198.51.100.9").PostTracesAsync(ForwardedChecks.Span)).StatusCode);
        // Made-up addresses buy no fresh budget: all of it is 127.0.0.1's.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await factory.Via("192.0.2.1").PostTracesAsync(ForwardedChecks.Span)).StatusCode);

        await ForwardedChecks.SignInCookieAsync(factory.Via("203.0.113.99", apiKey: null), "wrong-password-for-forwarding");
        Assert.Contains(factory.Logs, l => l.Contains("Sign-in failed") && l.Contains("from 127.0.0.1"));
        Assert.DoesNotContain(factory.Logs, l => l.Contains("203.0.113.99"));
    }

    [Fact]
    public async Task A_claimed_https_from_an_untrusted_address_does_not_make_the_cookie_Secure()
    {
        var cookie = await ForwardedChecks.SignInCookieAsync(factory.Via("203.0.113.8", "https", apiKey: null), VigilWebFactory.AdminPassword);
        Assert.NotNull(cookie);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }
}

public class ForwardedHeadersSettingsTests
{
    [Fact]
    public void A_bad_proxy_entry_stops_start_up_naming_it()
    {
        using var factory = new VigilWebFactory().With("Vigil:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/99");
        var ex = Assert.ThrowsAny<Exception>(() => factory.Server);
        Assert.Contains("Vigil:ForwardedHeaders:KnownNetworks:0", ex.ToString());
    }
}
