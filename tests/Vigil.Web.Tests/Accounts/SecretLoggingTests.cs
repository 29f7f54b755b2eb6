using Microsoft.AspNetCore.Mvc.Testing;
using Vigil.Web.Tests.Infrastructure;
using Vigil.Web.Tests.Replay;

namespace Vigil.Web.Tests.Accounts;

/// <summary>Passwords, API keys and the setup token never reach a log line, at any level.</summary>
public class SecretLoggingTests : IAsyncLifetime
{
    private const string AdminApiKey = "vgl_admin_key_that_must_never_be_logged";
    private readonly CapturingWebFactory _factory = new();

    public ValueTask InitializeAsync()
    {
        _factory.With("Vigil:Init:AdminApiKey", AdminApiKey);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task Sign_ins_and_keys_leave_no_secret_in_the_logs()
    {
        const string wrongPassword = "wrong-password-never-logged";
        var browser = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await browser.PostAsync("/account/login", await VigilWebFactory.LoginFormAsync(browser, VigilWebFactory.AdminEmail, wrongPassword));
        await _factory.SignedInClientAsync();
        await _factory.ClientWithKey().PostTracesAsync("""{"spans":[{"span_id":"s1","trace_id":"t1"}]}""");
        await _factory.ClientWithKey("vgl_unknown_key_never_logged_000000").GetAsync("/v1/traces");
        await _factory.ClientWithKey(AdminApiKey).GetAsync("/v1/projects");

        var logs = string.Join("\n", _factory.Logs);
        Assert.Contains("Sign-in failed", logs); // the capture works
        foreach (var secret in new[] { wrongPassword, VigilWebFactory.AdminPassword, VigilWebFactory.ApiKey, "vgl_unknown_key_never_logged_000000", AdminApiKey })
            Assert.DoesNotContain(secret, logs);
    }
}
