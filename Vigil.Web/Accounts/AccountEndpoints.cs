using Microsoft.AspNetCore.Antiforgery;
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

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").WithTags("Account").ExcludeFromDescription();
        account.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(RateLimiting.SignInPolicy);
        // No form fields to bind, so antiforgery must be asked for explicitly: a cross-site post must not sign anyone out.
        account.MapPost("/logout", LogoutAsync).RequireAuthorization().WithMetadata(new RequireAntiforgeryTokenAttribute());
        account.MapPost("/setup", SetupAsync).AllowAnonymous().RequireRateLimiting(RateLimiting.SignInPolicy);
        return app;
    }

    // Plain form fields, not a record: the form mapper rejects a record when an optional field (returnUrl) is absent.
    private static async Task<RedirectHttpResult> LoginAsync([FromForm(Name = "email")] string? email, [FromForm(Name = "password")] string? password,
        [FromForm(Name = "returnUrl")] string? returnUrl, HttpContext http, SignInManager<AppUser> signIn, ILoggerFactory loggers)
    {
        var target = SafeReturnUrl(returnUrl);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
            return Back("missing", target);
        var result = await signIn.PasswordSignInAsync(email.Trim(), password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded) return TypedResults.LocalRedirect(target);
        // Never the password; the e-mail is what an operator needs to spot an attack on an account.
        loggers.CreateLogger("Vigil.Web.Accounts.SignIn")
            .LogWarning("Sign-in failed for {Email} from {ClientAddress}: {Reason}", email.Trim(), RateLimiting.ClientIp(http),
                result.IsLockedOut ? "locked out" : "bad credentials");
        return Back(result.IsLockedOut ? "locked" : "invalid", target);
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> LogoutAsync(HttpContext http, SignInManager<AppUser> signIn)
    {
        // UseAntiforgery validates form posts and records the outcome; nothing here binds the form, so check it. A sign-out
        // sent as JSON or text/plain was never validated (no feature) and is refused too.
        if (http.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: "Sign out from the dashboard's form.");
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect(LoginPath);
    }

    private static async Task<RedirectHttpResult> SetupAsync([FromForm(Name = "token")] string? token, [FromForm(Name = "email")] string? email,
        [FromForm(Name = "password")] string? password, SetupToken setup, UserAdmin users, SignInManager<AppUser> signIn, CancellationToken ct)
    {
                if (!setup.IsValid(token)) return TypedResults.LocalRedirect(SetupPath + "?error=used");
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
            return TypedResults.LocalRedirect(QueryHelpers.AddQueryString(SetupPath, new Dictionary<string, string?> { ["token"] = token, ["error"] = "missing" }));
        if (password.Length < InitOptionsMinLength)
            return TypedResults.LocalRedirect(QueryHelpers.AddQueryString(SetupPath, new Dictionary<string, string?> { ["token"] = token, ["error"] = "weak" }));
        // Consume before creating: two racing posts can never create two admins.
        if (!setup.TryConsume(token)) return TypedResults.LocalRedirect(SetupPath + "?error=used");
        var (result, user) = await users.CreateAsync(email, password, VigilRoles.Admin, ct);
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
