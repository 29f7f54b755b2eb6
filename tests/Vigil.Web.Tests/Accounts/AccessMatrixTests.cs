using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Projects;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Accounts;

/// <summary>Who may call an endpoint: one decided policy per (method, route pattern).</summary>
public enum Access
{
    /// <summary>Anyone (health, API docs, sign-in page).</summary>
    Public,
    /// <summary>A project API key, scoped to its project (ProjectKeyPolicy). Dashboard cookies do not open the API.</summary>
    ProjectKey,
    /// <summary>A project key (own project only) or an admin (cookie or admin key).</summary>
    ProjectKeyOrAdmin,
    /// <summary>An admin only: a signed-in admin or the admin API key.</summary>
    Admin,
    /// <summary>The live hub: a project key or any signed-in user.</summary>
    Live,
    /// <summary>A dashboard page: any signed-in user; everyone else is redirected to the sign-in page.</summary>
    Page,
    /// <summary>A form post (sign-in, setup): anonymous, but never without an antiforgery token (400 here).</summary>
    AnonymousForm,
    /// <summary>A form post for a signed-in user (sign-out): anonymous is redirected, no antiforgery token is 400.</summary>
    SignedInForm,
    /// <summary>Blazor's own circuit plumbing: authorized inside the circuit, not per request; listed, not walked.</summary>
    Framework,
}

/// <summary>
/// Walks EVERY endpoint of the app with every kind of caller and checks the status class its decided policy promises.
/// An endpoint missing from <see cref="Policies"/> fails the test: a new endpoint must come with a decided policy.
/// </summary>
public class AccessMatrixTests : IClassFixture<AccessMatrixTests.MatrixFactory>
{
    /// <summary>Adding an endpoint: one line here, e.g. <c>["GET /v1/drift/alerts"] = Access.ProjectKey,</c>.</summary>
    public static readonly Dictionary<string, Access> Policies = new()
    {
        ["GET /health"] = Access.Public,
        ["GET /ready"] = Access.Public,
        ["GET /openapi/{documentName}.json"] = Access.Public,
        ["GET /scalar/{documentName?}"] = Access.Public,

        ["POST /v1/traces"] = Access.ProjectKey,
        ["POST /v1/logs"] = Access.ProjectKey,
        // OTLP/gRPC (served on its own endpoint; walked here over the test server with HTTP/2 and a gRPC frame).
        ["POST /opentelemetry.proto.collector.trace.v1.TraceService/Export"] = Access.ProjectKey,
        ["POST /opentelemetry.proto.collector.logs.v1.LogsService/Export"] = Access.ProjectKey,
        ["GET /v1/traces"] = Access.ProjectKey,
        ["GET /v1/traces/{traceId}"] = Access.ProjectKey,
        ["PATCH /v1/traces/{traceId}"] = Access.ProjectKey,
        ["POST /v1/traces/{traceId}/events/{spanId}"] = Access.ProjectKey,
        ["GET /v1/spans"] = Access.ProjectKey,
        ["GET /v1/sessions"] = Access.ProjectKey,
        ["GET /v1/sessions/{sessionId}"] = Access.ProjectKey,
        ["GET /v1/users"] = Access.ProjectKey,
        ["GET /v1/users/{userId}"] = Access.ProjectKey,
        ["POST /v1/scores"] = Access.ProjectKey,
        ["GET /v1/scores"] = Access.ProjectKey,
        ["DELETE /v1/scores/{id:long}"] = Access.ProjectKey,
        ["GET /v1/traces/export"] = Access.ProjectKey,

        ["GET /v1/projects"] = Access.ProjectKeyOrAdmin,
        ["POST /v1/projects"] = Access.Admin,
        ["GET /v1/projects/{projectId}"] = Access.ProjectKeyOrAdmin,
        ["POST /v1/projects/{projectId}/rotate-key"] = Access.ProjectKeyOrAdmin,
        ["DELETE /v1/projects/{projectId}"] = Access.Admin,
        ["GET /v1/projects/{projectId}/retention"] = Access.ProjectKeyOrAdmin,
        ["PUT /v1/projects/{projectId}/retention"] = Access.ProjectKeyOrAdmin,
        ["POST /v1/projects/{projectId}/retention/run"] = Access.ProjectKeyOrAdmin,
        ["POST /v1/projects/{projectId}/keys"] = Access.Admin,
        ["POST /v1/projects/{projectId}/keys/{keyId:long}/revoke"] = Access.Admin,
        ["POST /v1/projects/{projectId}/keys/{keyId:long}/rotate"] = Access.Admin,

        ["GET /v1/metrics"] = Access.ProjectKey,
        ["GET /v1/drift/alerts"] = Access.ProjectKey,
        ["GET /v1/drift/summary"] = Access.ProjectKey,
        ["PATCH /v1/drift/alerts/{id:long}/resolve"] = Access.ProjectKey,
        ["POST /v1/drift/run"] = Access.ProjectKey,
        ["GET /v1/notifications"] = Access.ProjectKey,
        ["GET /v1/notifications/count"] = Access.ProjectKey,
        ["PATCH /v1/notifications/{id:long}/read"] = Access.ProjectKey,
        ["POST /v1/notifications/read-all"] = Access.ProjectKey,
        ["GET /v1/replays"] = Access.ProjectKey,
        ["POST /v1/traces/{traceId}/replay"] = Access.ProjectKey,
        ["POST /v1/traces/{traceId}/replay/{runId}/confirm"] = Access.ProjectKey,
        ["POST /v1/traces/{traceId}/replay/{runId}/cancel"] = Access.ProjectKey,
        ["GET /v1/traces/{traceId}/replay/{runId}"] = Access.ProjectKey,
        ["GET /v1/traces/{traceId}/replay/{runId}/diff"] = Access.ProjectKey,
        ["GET /v1/projects/{projectId}/providers"] = Access.ProjectKeyOrAdmin,
        ["PUT /v1/projects/{projectId}/providers"] = Access.ProjectKeyOrAdmin,
        ["GET /v1/monitors"] = Access.ProjectKeyOrAdmin,
        ["POST /v1/monitors"] = Access.ProjectKeyOrAdmin,
        ["GET /v1/monitors/{id:long}"] = Access.ProjectKeyOrAdmin,
        ["PUT /v1/monitors/{id:long}"] = Access.ProjectKeyOrAdmin,
        ["DELETE /v1/monitors/{id:long}"] = Access.ProjectKeyOrAdmin,
        ["POST /v1/monitors/{id:long}/silence"] = Access.ProjectKeyOrAdmin,
        ["GET /v1/monitors/{id:long}/history"] = Access.ProjectKeyOrAdmin,
        ["GET /v1/channels"] = Access.Admin,
        ["POST /v1/channels"] = Access.Admin,
        ["GET /v1/channels/{id:long}"] = Access.Admin,
        ["PUT /v1/channels/{id:long}"] = Access.Admin,
        ["DELETE /v1/channels/{id:long}"] = Access.Admin,
        ["POST /v1/channels/{id:long}/test"] = Access.Admin,
        ["GET /v1/channels/{id:long}/deliveries"] = Access.Admin,

        ["GET /v1/accounts"] = Access.Admin,
        ["POST /v1/accounts"] = Access.Admin,
        ["GET /v1/accounts/{accountId}"] = Access.Admin,
        ["DELETE /v1/accounts/{accountId}"] = Access.Admin,
        ["POST /v1/accounts/{accountId}/password-reset"] = Access.Admin,
        ["PUT /v1/projects/{projectId}/members/{accountId}"] = Access.Admin,
        ["DELETE /v1/projects/{projectId}/members/{accountId}"] = Access.Admin,
        ["GET /v1/audit"] = Access.Admin,

        ["* /hubs/live"] = Access.Live,
        ["* /hubs/live/negotiate"] = Access.Live,

        ["POST /account/login"] = Access.AnonymousForm,
        ["POST /account/setup"] = Access.AnonymousForm,
        ["POST /account/logout"] = Access.SignedInForm,
        ["POST /account/password"] = Access.SignedInForm,
        ["POST /account/sign-out-everywhere"] = Access.SignedInForm,
        ["POST /account/reset"] = Access.AnonymousForm,
        ["GET /account/reset"] = Access.Public,
        ["GET /account/manage"] = Access.Page,
        ["POST /account/manage"] = Access.Page,
        // Razor pages answer GET and POST (Blazor's form handling); the account pages' POSTs are the minimal endpoints above.
        ["GET /account/login"] = Access.Public,
        ["GET /account/setup"] = Access.Public,
        ["GET /not-found"] = Access.Public,
        ["POST /not-found"] = Access.AnonymousForm,
        ["GET /Error"] = Access.Public,
        ["POST /Error"] = Access.AnonymousForm,

        ["GET /"] = Access.Page,
        ["POST /"] = Access.Page,
        ["GET /traces"] = Access.Page,
        ["POST /traces"] = Access.Page,
        ["GET /traces/{TraceId}"] = Access.Page,
        ["POST /traces/{TraceId}"] = Access.Page,
        ["GET /live"] = Access.Page,
        ["POST /live"] = Access.Page,
        ["GET /drift"] = Access.Page,
        ["POST /drift"] = Access.Page,
        ["GET /metrics"] = Access.Page,
        ["POST /metrics"] = Access.Page,
        ["GET /alerts"] = Access.Page,
        ["POST /alerts"] = Access.Page,
        ["GET /sessions"] = Access.Page,
        ["POST /sessions"] = Access.Page,
        ["GET /sessions/{SessionId}"] = Access.Page,
        ["POST /sessions/{SessionId}"] = Access.Page,
        ["GET /users"] = Access.Page,
        ["POST /users"] = Access.Page,
        ["GET /users/{UserId}"] = Access.Page,
        ["POST /users/{UserId}"] = Access.Page,
        ["GET /replays"] = Access.Page,
        ["POST /replays"] = Access.Page,
        ["GET /replays/{RunId}"] = Access.Page,
        ["POST /replays/{RunId}"] = Access.Page,
        ["GET /settings"] = Access.Page,
        // The trace list's Export button: a download for a signed-in user (400 here: the walk names no project).
        ["GET /export/traces"] = Access.Page,
        ["POST /settings"] = Access.Page,

        ["* /_blazor"] = Access.Framework,
        ["* /_blazor/negotiate"] = Access.Framework,
        ["* /_blazor/initializers"] = Access.Framework,
        ["* /_blazor/disconnect"] = Access.Framework,
        // MapStaticAssets' fallback for files: static content, never data.
        ["GET /{**path:file}"] = Access.Framework,
        ["HEAD /{**path:file}"] = Access.Framework,
    };

    public enum Caller { Anonymous, MalformedKey, UnknownKey, RevokedKey, OtherProjectKey, RightKey, MemberCookie, AdminCookie, AdminKey }

    private enum Outcome { Unauthorized, Forbidden, NotFound, Allowed, RedirectToLogin }

    private const string ProjectA = "matrix-a";
    private const string ProjectB = "matrix-b";
    private const string TraceId = "matrix-trace";

    private readonly MatrixFactory _factory;

    public AccessMatrixTests(MatrixFactory factory) => _factory = factory;

    public sealed class MatrixFactory : VigilWebFactory
    {
        public const string AdminApiKey = "vgl_admin_automation_key_for_matrix_tests";
        public MatrixFactory()
        {
            With("Vigil:Init:AdminApiKey", AdminApiKey);
            // The walk sends hundreds of unknown and revoked keys from one address: more than a real client's failed lookups.
            With("Vigil:RateLimits:FailedKeyPerIp:PermitLimit", "100000");
            // Maps the OTLP/gRPC services (the in-memory test server never binds the port).
            With("Vigil:Otlp:GrpcEndpoint", "http://127.0.0.1:0");
        }
    }

    /// <summary>(method, pattern) of every endpoint, with Blazor's static files left out (they are files, not API).</summary>
    private List<(string Method, string Pattern, string Key)> Endpoints()
    {
        var source = _factory.Get<EndpointDataSource>();
        var list = new List<(string, string, string)>();
        foreach (var e in source.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (e.RoutePattern.RawText ?? "").Trim('/');
            if (IsStaticFile(pattern)) continue;
            var methods = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if (methods is null || methods.Count == 0) list.Add(("*", pattern, "* " + pattern));
            else foreach (var m in methods) list.Add((m, pattern, m + " " + pattern));
        }
        return list.Distinct().ToList();
    }

    private static bool IsStaticFile(string pattern) => !pattern.Contains('{') && Regex.IsMatch(pattern, @"/[^/]+\.[A-Za-z0-9]+$")
        || pattern.StartsWith("/_content/") || pattern.StartsWith("/_framework/");

    [Fact]
    public void Every_endpoint_has_a_decided_policy()
    {
        var missing = Endpoints().Where(e => !Policies.ContainsKey(e.Key)).Select(e => e.Key).Distinct().ToList();
        Assert.True(missing.Count == 0, "New endpoint(s) without a decided policy; add a row to AccessMatrixTests.Policies: " + string.Join(", ", missing));
    }

    /// <summary>The OpenAPI document is the public contract: each of its operations must be one the walk below calls.</summary>
    [Fact]
    public async Task Every_operation_of_the_OpenAPI_document_has_a_walked_policy()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(await _factory.CreateClient().GetStringAsync("/openapi/v1.json"));
        // Route constraints ({id:long}) and optional markers do not appear in OpenAPI paths.
        static string Normalize(string key) => Regex.Replace(key, @"\{([^}:?]+)(:[^}]+)?\??\}", m => "{" + m.Groups[1].Value + "}");
        var walked = Policies.Where(p => p.Value != Access.Framework).Select(p => Normalize(p.Key)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var operations = doc.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => op.Name.ToUpperInvariant() + " " + path.Name.TrimEnd('/')))
            .ToList();
        Assert.True(operations.Count > 20, $"Only {operations.Count} operations in the OpenAPI document");
        var missing = operations.Where(o => !walked.Contains(Normalize(o)) && !walked.Contains(Normalize(o) + "/")).ToList();
        Assert.True(missing.Count == 0, "OpenAPI operation(s) without a walked policy: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Every_endpoint_answers_every_caller_as_its_policy_says()
    {
        var projects = _factory.Get<ProjectService>();
        var ids = await SeedAsync(projects);
        var member = await _factory.MemberClientAsync("member@matrix.test", ProjectA);
        var admin = await _factory.SignedInClientAsync();
        var anonymous = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var otherKey = (await projects.CreateKeyAsync(ProjectB, "other")).Secret;

        var failures = new List<string>();
        var walked = 0;
        foreach (var (method, pattern, key) in Endpoints())
        {
            if (!Policies.TryGetValue(key, out var access) || access == Access.Framework) continue;
            foreach (var caller in Enum.GetValues<Caller>())
            {
                var (client, secret) = caller switch
                {
                    Caller.MemberCookie => (member, null),
                    Caller.AdminCookie => (admin, null),
                    Caller.MalformedKey => (anonymous, "not a key"),
                    Caller.UnknownKey => (anonymous, ApiKeySecret.Generate()),
                    Caller.RevokedKey => (anonymous, await RevokedKeyAsync(projects)),
                    Caller.OtherProjectKey => (anonymous, otherKey),
                    // A fresh key each time: rotate-key revokes the project's keys.
                    Caller.RightKey => (anonymous, (await projects.CreateKeyAsync(ProjectA, "matrix")).Secret),
                    Caller.AdminKey => (anonymous, MatrixFactory.AdminApiKey),
                    _ => (anonymous, (string?)null),
                };
                // Each call that names an account gets its own (a member of project A): deleting one must not starve the next caller.
                var accountId = pattern.Contains("{accountId}") ? await FreshAccountAsync() : null;
                HttpResponseMessage response;
                try { response = await SendAsync(client, method, pattern, secret, ids, accountId); }
                catch (OperationCanceledException) { failures.Add($"{key} as {caller}: no answer within 10 s"); continue; }
                walked++;
                var expected = Expect(access, caller, pattern.Contains('{'));
                if (!Matches(expected, response))
                    failures.Add($"{key} as {caller}: expected {expected}, got {(int)response.StatusCode} {response.Headers.Location}");
            }
        }
        Assert.True(walked > 100, $"Only {walked} requests were walked");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static Outcome Expect(Access access, Caller caller, bool byId)
    {
        var badKey = caller is Caller.Anonymous or Caller.MalformedKey or Caller.UnknownKey or Caller.RevokedKey;
        var cookie = caller is Caller.MemberCookie or Caller.AdminCookie;
        return access switch
        {
            Access.Public or Access.AnonymousForm => Outcome.Allowed,
            Access.ProjectKey => badKey || cookie ? Outcome.Unauthorized
                : caller == Caller.AdminKey ? Outcome.Forbidden
                : caller == Caller.OtherProjectKey && byId ? Outcome.NotFound : Outcome.Allowed,
            Access.ProjectKeyOrAdmin => badKey ? Outcome.Unauthorized
                : caller == Caller.MemberCookie ? Outcome.Forbidden
                : caller == Caller.OtherProjectKey && byId ? Outcome.NotFound : Outcome.Allowed,
            Access.Admin => badKey ? Outcome.Unauthorized
                : caller is Caller.AdminCookie or Caller.AdminKey ? Outcome.Allowed : Outcome.Forbidden,
            Access.Live => badKey ? Outcome.Unauthorized : Outcome.Allowed,
            // Pages and the sign-out form know only the dashboard cookie: an API key is no sign-in.
            Access.Page or Access.SignedInForm => cookie ? Outcome.Allowed : Outcome.RedirectToLogin,
            _ => throw new ArgumentOutOfRangeException(nameof(access)),
        };
    }

    private static bool Matches(Outcome expected, HttpResponseMessage r)
    {
        var status = GrpcAsHttpStatus(r) ?? (int)r.StatusCode;
        return expected switch
        {
            Outcome.Unauthorized => status == 401,
            Outcome.Forbidden => status == 403,
            Outcome.NotFound => status == 404,
            // 2xx, or 400 for the empty body / missing antiforgery token every request of the walk sends, or 409 for a state
            // change the walk already made (a replay confirmed or cancelled by an earlier caller): all past authorization.
            Outcome.Allowed => status is >= 200 and < 300 or 400 or 409,
            Outcome.RedirectToLogin => status == 302 && r.Headers.Location?.OriginalString.StartsWith("/account/login") == true
                || r.Headers.Location?.AbsolutePath == "/account/login",
            _ => false,
        };
    }

    /// <summary>A gRPC answer's status (trailers-only: a header) as the HTTP status it stands for.</summary>
    private static int? GrpcAsHttpStatus(HttpResponseMessage r) =>
        r.Headers.TryGetValues("grpc-status", out var values) ? values.First() switch
        {
            "0" => 200,
            "16" => 401,
            "7" => 403,
            "5" => 404,
            "3" => 400,
            var other => 600 + int.Parse(other, System.Globalization.CultureInfo.InvariantCulture),
        } : null;

    private static bool IsGrpc(string pattern) => pattern.StartsWith("/opentelemetry.proto.collector.", StringComparison.Ordinal);

    /// <summary>Valid bodies where an endpoint validates before it looks the row up (so another project's key meets the 404).</summary>
    private static readonly Dictionary<string, string> Bodies = new()
    {
        ["PATCH /v1/traces/{traceId}"] = """{"status":"ok"}""",
        ["POST /v1/traces/{traceId}/events/{spanId}"] = """{"name":"matrix"}""",
    };

    /// <summary>Ids of rows of project A that by-id endpoints address (the right key must reach them, another project's never).</summary>
    /// <remarks>A DELETE gets a fresh row each time (<see cref="NewMonitor"/>, <see cref="NewChannel"/>, <see cref="NewScore"/>): every caller allowed to delete must find one.</remarks>
    private sealed record SeededIds(string RunId, long NotificationId, long DriftAlertId, long KeyId, long MonitorId, long ChannelId, long ScoreId,
        Func<Task<long>> NewMonitor, Func<Task<long>> NewChannel, Func<Task<long>> NewScore);

    private int _accounts;

    private async Task<string> FreshAccountAsync()
    {
        var email = $"walked-{Interlocked.Increment(ref _accounts)}@matrix.test";
        var (_, user) = await _factory.Get<Vigil.Web.Accounts.UserAdmin>().CreateAsync(email, "walked-password-1", Vigil.Core.Accounts.VigilRoles.Member);
        await _factory.Get<Vigil.Core.Accounts.MembershipService>().AddAsync(ProjectA, user!.Id);
        return user.Id;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string pattern, string? key, SeededIds ids, string? accountId)
    {
        // Deleting project A would end the walk: each DELETE addresses a project of its own (created for it).
        var projectId = method == "DELETE" && pattern == "/v1/projects/{projectId}"
            ? (await _factory.Get<ProjectService>().CreateAsync("matrix-del-" + Guid.NewGuid().ToString("N")[..8], "To delete", null)).Project.Id
            : ProjectA;
        var monitorId = method == "DELETE" && pattern.StartsWith("/v1/monitors/") ? await ids.NewMonitor() : ids.MonitorId;
        var channelId = method == "DELETE" && pattern.StartsWith("/v1/channels/") ? await ids.NewChannel() : ids.ChannelId;
        var scoreId = method == "DELETE" && pattern.StartsWith("/v1/scores/") ? await ids.NewScore() : ids.ScoreId;
        var path = pattern.Replace("{accountId}", accountId ?? "none")
            .Replace("/v1/monitors/{id:long}", "/v1/monitors/" + monitorId)
            .Replace("/v1/channels/{id:long}", "/v1/channels/" + channelId)
            .Replace("{projectId}", projectId).Replace("{traceId}", TraceId).Replace("{TraceId}", TraceId).Replace("{spanId}", "s1")
            .Replace("{keyId:long}", ids.KeyId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{runId}", ids.RunId).Replace("{RunId}", ids.RunId)
            .Replace("/v1/notifications/{id:long}", "/v1/notifications/" + ids.NotificationId)
            .Replace("/v1/drift/alerts/{id:long}", "/v1/drift/alerts/" + ids.DriftAlertId)
            .Replace("/v1/scores/{id:long}", "/v1/scores/" + scoreId)
            .Replace("{sessionId}", "matrix-session").Replace("{SessionId}", "matrix-session")
            .Replace("{userId}", "matrix-user").Replace("{UserId}", "matrix-user")
            .Replace("{documentName}", "v1").Replace("{documentName?}", "v1");
        // SignalR's negotiate answers POST only.
        if (pattern.EndsWith("/negotiate") && method == "*") method = "POST";
        if (path.Contains('{')) throw new InvalidOperationException($"No test value for a parameter of {pattern}: add one to SendAsync.");
        using var request = new HttpRequestMessage(new HttpMethod(method == "*" ? "GET" : method), path);
        if (IsGrpc(pattern))
        {
            // One gRPC frame holding an empty export request (flag 0, length 0): accepted, with nothing in it.
            request.Version = System.Net.HttpVersion.Version20;
            request.Content = new ByteArrayContent(new byte[5]);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            request.Headers.TryAddWithoutValidation("TE", "trailers");
        }
        else if (method is "POST" or "PATCH" or "PUT") request.Content = new StringContent(Bodies.GetValueOrDefault(method + " " + pattern, "{}"), Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
    }

    private static async Task<string> RevokedKeyAsync(ProjectService projects)
    {
        var (key, secret) = await projects.CreateKeyAsync(ProjectA, "revoked");
        await projects.RevokeKeyAsync(ProjectA, key.Id);
        return secret;
    }

    private async Task<SeededIds> SeedAsync(ProjectService projects)
    {
        var (_, secretA) = await projects.CreateAsync(ProjectA, "Matrix A", null);
        await projects.CreateAsync(ProjectB, "Matrix B", null);
        var posted = await _factory.ClientWithKey(secretA).PostTracesAsync($$$"""
            {"session_id":"matrix-session","user_id":"matrix-user","spans":[{"span_id":"s1","trace_id":"{{{TraceId}}}","name":"chat","kind":"llm",
              "input":{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]},"output":{"content":"hello"}}]}
            """);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var estimate = await _factory.Get<Vigil.Core.Replay.ReplayService>().EstimateAsync(ProjectA, TraceId, null);
        var runId = estimate.Value?.Run.Id ?? throw new InvalidOperationException("Seeding a replay run failed");
        var notification = await _factory.Get<Vigil.Core.Notifications.NotificationService>().CreateAsync(ProjectA, "test", "Matrix", null, null);
        var dbFactory = _factory.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<Vigil.Core.Storage.VigilDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var alert = new Vigil.Core.Drift.DriftAlert { ProjectId = ProjectA, SpanKind = "llm", Metric = "latency", Severity = "high" };
        db.Add(alert);
        await db.SaveChangesAsync();
        var (managed, _) = await projects.CreateKeyAsync(ProjectA, "managed-by-admins");
        async Task<long> NewMonitor() => (await _factory.Get<Vigil.Core.Alerting.Monitors.MonitorService>().CreateAsync(ProjectA,
            new Vigil.Core.Alerting.Monitors.MonitorInput("matrix", "error_rate", 15, 0.1, 0.2, "above"))).Value!.Id;
        async Task<long> NewChannel() => (await _factory.Get<Vigil.Core.Alerting.Channels.ChannelService>().CreateAsync(ProjectA,
            new Vigil.Core.Alerting.Channels.ChannelInput("matrix", "webhook", "http://127.0.0.1:9/matrix", null, null))).Value!.Channel.Id;
        async Task<long> NewScore() => (await _factory.Get<Vigil.Core.Scores.ScoreService>().AddAsync(ProjectA,
            new Vigil.Core.Scores.ScoreInput { TraceId = TraceId, Name = "matrix", Value = 1.0 })).Score!.Id;
        return new SeededIds(runId, notification.Id, alert.Id, managed.Id, await NewMonitor(), await NewChannel(), await NewScore(),
            NewMonitor, NewChannel, NewScore);
    }
}
