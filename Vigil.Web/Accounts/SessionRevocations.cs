namespace Vigil.Web.Accounts;

/// <summary>
/// Tells this process's open dashboard circuits that an account's sessions ended (deleted, signed out everywhere, password
/// changed or reset): their authentication state drops at once. HTTP requests need no telling: each one checks its
/// cookie's security stamp (<see cref="SessionValidation"/>). The one place a many-instances set-up has to broadcast.
/// </summary>
public sealed class SessionRevocations
{
    public event Action<string>? Revoked;

    public void Revoke(string userId) => Revoked?.Invoke(userId);
}
