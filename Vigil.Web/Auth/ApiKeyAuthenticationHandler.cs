using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Vigil.Core.Accounts;
using Vigil.Core.Projects;
using Vigil.Web.Accounts;
using Vigil.Web.Protection;
using Vigil.Web.Ingest.Grpc;

namespace Vigil.Web.Auth;

/// <summary>
/// Authenticates a project API key sent as <c>Authorization: Bearer &lt;key&gt;</c> or <c>x-api-key</c>
/// (or <c>access_token</c> on a SignalR hub URL). The key decides the project.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ProjectService projects,
    AdminApiKey adminKey,
    FailedKeyLimiter failedKeys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>HttpContext item: the address spent its failed lookups; the challenge answers 429 with this Retry-After.</summary>
    private const string LimitedItem = "vigil:failed-key-retry-after";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = ReadKey(Request);
        if (secret is null) return AuthenticateResult.NoResult();
        if (adminKey.Matches(secret))
        {
            // Organisation-level automation: an admin without a project (project-key endpoints answer it 403).
            var admin = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "admin-key"), new Claim(ClaimTypes.Role, VigilRoles.Admin)], SchemeName);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(admin), SchemeName));
        }
        if (failedKeys.IsLimited(Context, out var retryAfter) && !projects.IsCachedValidKey(secret))
        {
            Context.Items[LimitedItem] = retryAfter;
            return AuthenticateResult.Fail("Too many failed API key lookups from this address.");
        }
        var identity = await projects.AuthenticateAsync(secret, Context.RequestAborted);
        if (identity is null)
        {
            failedKeys.RecordFailure(Context);
            // Log the prefix only: secrets are never logged.
            Logger.LogInformation("Rejected API key {Prefix}… from {ClientAddress}", ApiKeySecret.Prefix(secret.Length > 8 ? secret[..8] : "?"),
                RateLimiting.ClientIp(Context));
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }
        var claims = new[]
        {
            new Claim(ClaimTypes.NameIdentifier, $"key:{identity.KeyId}"),
            new Claim(VigilClaims.ProjectId, identity.ProjectId),
            new Claim(VigilClaims.KeyPrefix, identity.Prefix),
        };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    internal static string? ReadKey(HttpRequest request)
    {
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return auth[7..].Trim();
        var header = request.Headers["x-api-key"].ToString();
        if (header.Length > 0) return header.Trim();
        // SignalR WebSockets cannot send headers: the client puts the token on the URL.
        if (request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var token)) return token.ToString();
        return null;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[LimitedItem] is TimeSpan retryAfter)
        {
            await RateLimiting.TooManyRequestsAsync(Context, retryAfter, "Too many unknown or revoked API keys from this address");
            return;
        }
        var hasKey = ReadKey(Request) is not null;
        if (GrpcCalls.IsGrpc(Request))
        {
            // OTLP/gRPC: the key travels as x-api-key or authorization metadata; the answer is UNAUTHENTICATED.
            await GrpcCalls.WriteStatusAsync(Context, GrpcCalls.Unauthenticated, hasKey
                ? "The API key is unknown or revoked."
                : "An API key is required: send it as 'x-api-key' or 'authorization: Bearer <key>' metadata.");
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(new ProblemDetails
        {
            Status = 401,
            Title = "Unauthorized",
            Detail = hasKey
                ? "The API key is unknown or revoked."
                : "An API key is required: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.",
        }).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (GrpcCalls.IsGrpc(Request))
        {
            await GrpcCalls.WriteStatusAsync(Context, GrpcCalls.PermissionDenied, "This key may not do that.");
            return;
        }
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(new ProblemDetails { Status = 403, Title = "Forbidden", Detail = "This key may not do that." }).ExecuteAsync(Context);
    }
}
