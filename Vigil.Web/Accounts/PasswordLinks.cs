using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Vigil.Web.Accounts;

/// <summary>
/// One-time links to <c>/account/reset</c> that let an account's owner choose a password (an admin's reset, a new account
/// made without one). Like the setup link: shown once to whoever issued it, working once, never logged.
/// </summary>
public sealed class PasswordLinks(UserAdmin users, IOptions<DataProtectionTokenProviderOptions> tokens, TimeProvider time)
{
    public const string Path = "/account/reset";

    /// <summary>The link under <paramref name="baseUri"/> (e.g. <c>https://vigil.example/</c>), or null for an unknown account.</summary>
    public async Task<PasswordResetLink?> CreateAsync(string userId, string baseUri, CancellationToken ct = default)
    {
        if (await users.PasswordResetTokenAsync(userId, ct) is not { } token) return null;
        var url = QueryHelpers.AddQueryString(baseUri.TrimEnd('/') + Path, new Dictionary<string, string?> { ["user"] = userId, ["token"] = token });
        return new PasswordResetLink(url, time.GetUtcNow().UtcDateTime + tokens.Value.TokenLifespan);
    }

    public static string BaseUri(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/";
}
