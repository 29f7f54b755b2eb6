using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Vigil.Web.Accounts;

/// <summary>
/// A dashboard circuit's authentication state: dropped at once when <see cref="SessionRevocations"/> names its account,
/// and re-checked against the account's security stamp every minute (for changes made by another instance).
/// </summary>
internal sealed class SessionAuthenticationStateProvider(
    ILoggerFactory loggers, IServiceScopeFactory scopes, SessionRevocations revocations, IOptions<IdentityOptions> identity)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    private static readonly AuthenticationState Anonymous = new(new ClaimsPrincipal(new ClaimsIdentity()));
    private bool _subscribed;

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        var userId = state.User.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var stamp = state.User.FindFirst(identity.Value.ClaimsIdentity.SecurityStampClaimType)?.Value;
        if (userId is null || stamp is null) return false;
        await using var scope = scopes.CreateAsyncScope();
        return await SessionValidation.CurrentStampAsync(scope.ServiceProvider, userId, ct) == stamp;
    }

    public override Task<AuthenticationState> GetAuthenticationStateAsync()
    {
        if (!_subscribed)
        {
            _subscribed = true;
            revocations.Revoked += OnRevoked;
        }
        return base.GetAuthenticationStateAsync();
    }

    private async void OnRevoked(string userId)
    {
        try
        {
            var state = await base.GetAuthenticationStateAsync();
            if (state.User.FindFirst(ClaimTypes.NameIdentifier)?.Value == userId) SetAuthenticationState(Task.FromResult(Anonymous));
        }
        catch (Exception)
        {
            // A circuit being torn down: nothing to drop.
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) revocations.Revoked -= OnRevoked;
        base.Dispose(disposing);
    }
}
