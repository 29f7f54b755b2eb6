using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Vigil.Core.Accounts;
using Vigil.Core.Audit;
using Vigil.Web.Audit;
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
    public const string ManagePath = "/account/manage";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").WithTags("Account").ExcludeFromDescription();
        account.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(RateLimiting.SignInPolicy);
        // No form fields to bind, so antiforgery must be asked for explicitly: a cross-site post must not sign anyone out.
        account.MapPost("/logout", LogoutAsync).RequireAuthorization().WithMetadata(new RequireAntiforgeryTokenAttribute());
        account.MapPost("/setup", SetupAsync).AllowAnonymous().RequireRateLimiting(RateLimiting.SignInPolicy);
        // Reads its form itself (no form binding, so no content-type filter ahead of authorization): antiforgery asked explicitly.
        account.MapPost("/password", ChangePasswordAsync).RequireAuthorization().RequireRateLimiting(RateLimiting.SignInPolicy)
            .WithMetadata(new RequireAntiforgeryTokenAttribute());
        account.MapPost("/sign-out-everywhere", SignOutEverywhereAsync).RequireAuthorization().WithMetadata(new RequireAntiforgeryTokenAttribute());
        account.MapPost("/reset", ResetPasswordAsync).AllowAnonymous().RequireRateLimiting(RateLimiting.SignInPolicy);
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
        [FromForm(Name = "password")] string? password, HttpContext http, SetupToken setup, UserAdmin users, SignInManager<AppUser> signIn, AuditLog audit, CancellationToken ct)
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
        await audit.RecordAsync(new AuditActor("setup", "setup link", RateLimiting.ClientIp(http)), AuditActions.AccountCreate, user.Email, null, "the first admin", ct);
        return TypedResults.LocalRedirect("/");
    }

    /// <summary>The signed-in user changes their password; this browser stays signed in, every other session ends.</summary>
    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> ChangePasswordAsync(
        HttpContext http, UserAdmin users, UserManager<AppUser> userManager, SignInManager<AppUser> signIn, AuditLog audit, CancellationToken ct)
    {
        if (http.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true } || !http.Request.HasFormContentType)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: "Change the password with the account page's form.");
        var form = await http.Request.ReadFormAsync(ct);
        string? current = form["current"], password = form["password"];
        if (string.IsNullOrEmpty(current) || string.IsNullOrEmpty(password)) return Manage("missing");
        if (password.Length < InitOptionsMinLength) return Manage("weak");
        var userId = userManager.GetUserId(http.User)!;
        var result = await users.ChangePasswordAsync(userId, current, password, ct);
        if (!result.Succeeded) return Manage(result.Errors.Any(e => e.Code == "PasswordMismatch") ? "wrong" : "invalid");
        if (await userManager.FindByIdAsync(userId) is { } user) await signIn.RefreshSignInAsync(user);
        await audit.RecordAsync(Actors.From(http), AuditActions.AccountPasswordChange, http.User.Identity?.Name, null, null, ct);
        return TypedResults.LocalRedirect(ManagePath + "?done=password");
    }

    /// <summary>Ends every session of the signed-in user, this one included.</summary>
    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignOutEverywhereAsync(
        HttpContext http, UserAdmin users, UserManager<AppUser> userManager, SignInManager<AppUser> signIn, AuditLog audit, CancellationToken ct)
    {
        if (http.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: "Sign out from the account page's form.");
        var actor = Actors.From(http);
        await users.SignOutEverywhereAsync(userManager.GetUserId(http.User)!, ct);
        await signIn.SignOutAsync();
        await audit.RecordAsync(actor, AuditActions.AccountSignOutEverywhere, http.User.Identity?.Name, null, null, ct);
        return TypedResults.LocalRedirect(LoginPath + "?notice=signed-out-everywhere");
    }

    /// <summary>Sets a password with a one-time link (an admin's reset, or a new account's first password).</summary>
    private static async Task<RedirectHttpResult> ResetPasswordAsync([FromForm(Name = "user")] string? userId, [FromForm(Name = "token")] string? token,
        [FromForm(Name = "password")] string? password, HttpContext http, UserAdmin users, AuditLog audit, CancellationToken ct)
    {
        RedirectHttpResult Back(string error) => TypedResults.LocalRedirect(QueryHelpers.AddQueryString(PasswordLinks.Path,
            new Dictionary<string, string?> { ["user"] = userId, ["token"] = token, ["error"] = error }));
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token)) return Back("invalid-link");
        if (string.IsNullOrEmpty(password)) return Back("missing");
        if (password.Length < InitOptionsMinLength) return Back("weak");
        var result = await users.ResetPasswordAsync(userId, token, password, ct);
        if (!result.Succeeded) return Back(result.Errors.Any(e => e.Code == "InvalidToken") ? "invalid-link" : "invalid");
        var account = await users.GetAsync(userId, ct);
        await audit.RecordAsync(new AuditActor(userId, account?.Email ?? userId, RateLimiting.ClientIp(http)), AuditActions.AccountPasswordReset,
            account?.Email, null, "with a one-time link", ct);
        return TypedResults.LocalRedirect(LoginPath + "?notice=password-set");
    }

    private static RedirectHttpResult Manage(string error) => TypedResults.LocalRedirect(ManagePath + "?error=" + error);

    private const int InitOptionsMinLength = Vigil.Core.Projects.InitOptions.MinPasswordLength;

    private static RedirectHttpResult Back(string error, string returnUrl) =>
        TypedResults.LocalRedirect(QueryHelpers.AddQueryString(LoginPath, new Dictionary<string, string?> { ["error"] = error, ["returnUrl"] = returnUrl }));

    /// <summary>Only local paths: an open redirect would let a phishing link bounce through the sign-in page.</summary>
    internal static string SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/";
}
