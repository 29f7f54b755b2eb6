using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Vigil.Core.Accounts;
using Vigil.Web.Protection;

namespace Vigil.Web.Accounts;

/// <summary>
/// The form posts behind the static sign-in and setup pages. Minimal endpoints bound from a form validate the antiforgery
/// token (UseAntiforgery), and every outcome is a redirect (post/redirect/get), never a page rendered from a POST.
/// </summary>
public static class AccountEndpoints
{
    public const string LoginPath = "/account/login";
    public const string SetupPath = "/account/setup";

    public sealed record LoginForm(string? Email, string? Password, string? ReturnUrl);

    public sealed record SetupForm(string? Token, string? Email, string? Password);

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").WithTags("Account").ExcludeFromDescription();
        account.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(RateLimiting.SignInPolicy);
        // No form fields to bind, so antiforgery must be asked for explicitly: a cross-site post must not sign anyone out.
        account.MapPost("/logout", LogoutAsync).RequireAuthorization().WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());
        account.MapPost("/setup", SetupAsync).AllowAnonymous().RequireRateLimiting(RateLimiting.SignInPolicy);
        return app;
    }

    private static async Task<RedirectHttpResult> LoginAsync([FromForm] LoginForm form, SignInManager<AppUser> signIn, ILoggerFactory loggers)
    {
        var returnUrl = SafeReturnUrl(form.ReturnUrl);
        if (string.IsNullOrWhiteSpace(form.Email) || string.IsNullOrEmpty(form.Password))
            return Back("missing", returnUrl);
        var result = await signIn.PasswordSignInAsync(form.Email.Trim(), form.Password, isPersistent: false, lockoutOnFailure: true);
        var logger = loggers.CreateLogger("Vigil.Web.Accounts.SignIn");
        if (result.Succeeded) return TypedResults.LocalRedirect(returnUrl);
        // Never the password; the e-mail is what an operator needs to spot an attack on an account.
        logger.LogWarning("Sign-in failed for {Email}: {Reason}", form.Email.Trim(), result.IsLockedOut ? "locked out" : "bad credentials");
        return Back(result.IsLockedOut ? "locked" : "invalid", returnUrl);
    }

    private static async Task<RedirectHttpResult> LogoutAsync(SignInManager<AppUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect(LoginPath);
    }

    private static async Task<RedirectHttpResult> SetupAsync([FromForm] SetupForm form, SetupToken setup, UserAdmin users, SignInManager<AppUser> signIn,
        CancellationToken ct)
    {
        if (!setup.IsValid(form.Token)) return TypedResults.LocalRedirect(SetupPath + "?error=used");
        if (string.IsNullOrWhiteSpace(form.Email) || string.IsNullOrEmpty(form.Password))
            return TypedResults.LocalRedirect(QueryHelpers.AddQueryString(SetupPath, new Dictionary<string, string?> { ["token"] = form.Token, ["error"] = "missing" }));
        if (form.Password.Length < InitOptionsMinLength)
            return TypedResults.LocalRedirect(QueryHelpers.AddQueryString(SetupPath, new Dictionary<string, string?> { ["token"] = form.Token, ["error"] = "weak" }));
        // Consume before creating: two racing posts can never create two admins.
        if (!setup.TryConsume(form.Token)) return TypedResults.LocalRedirect(SetupPath + "?error=used");
        var (result, user) = await users.CreateAsync(form.Email, form.Password, VigilRoles.Admin, ct);
        if (!result.Succeeded || user is null)
        {
            setup.Issue(); // nothing was created: the first person may try again, with a fresh link printed nowhere but here
            return TypedResults.LocalRedirect(QueryHelpers.AddQueryString(SetupPath, new Dictionary<string, string?> { ["token"] = setup.Current, ["error"] = "invalid" }));
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return TypedResults.LocalRedirect("/");
    }

    private const int InitOptionsMinLength = Vigil.Core.Projects.InitOptions.MinPasswordLength;

    private static RedirectHttpResult Back(string error, string returnUrl) =>
        TypedResults.LocalRedirect(QueryHelpers.AddQueryString(LoginPath, new Dictionary<string, string?> { ["error"] = error, ["returnUrl"] = returnUrl }));

    /// <summary>Only local paths: an open redirect would let a phishing link bounce through the sign-in page.</summary>
    internal static string SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/";
}
