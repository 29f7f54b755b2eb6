namespace Vigil.Web.Protection;

/// <summary>
/// Security headers on every response. The CSP is strict: Blazor Server and MudBlazor need no inline script and no eval,
/// only inline styles (MudBlazor sets style attributes) and a WebSocket back to this origin. The Scalar API reference is
/// a third-party page with inline scripts, so it gets the same headers without a CSP.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public static IApplicationBuilder UseVigilSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var h = http.Response.Headers;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        if (!http.Request.Path.StartsWithSegments("/scalar")) h.ContentSecurityPolicy = ContentSecurityPolicy;
        return next(http);
    });
}
