using MudBlazor.Services;
using Vigil.Core;
using Vigil.Core.Alerting;
using Vigil.Core.Drift;
using Vigil.Core.Retention;
using Vigil.Web.Accounts;
using Vigil.Web.Alerting;
using Vigil.Web.Api;
using Vigil.Web.Audit;
using Vigil.Web.Auth;
using Vigil.Web.Charts;
using Vigil.Web.Components;
using Vigil.Web.Drift;
using Vigil.Web.Health;
using Vigil.Web.Hosting;
using Vigil.Web.Ingest;
using Vigil.Web.Ingest.Grpc;
using Vigil.Web.Live;
using Vigil.Web.Metrics;
using Vigil.Web.Notifications;
using Vigil.Web.Projects;
using Vigil.Web.Protection;
using Vigil.Web.Replay;
using Vigil.Web.Scores;
using Vigil.Web.Sessions;
using Vigil.Web.Retention;
using Vigil.Web.Traces;

// Before anything allocates through SQLite: no more malloc arenas than glibc has made by now (docs/benchmarks.md).
NativeHeap.LimitArenas();

// A one-off command instead of the server: move a SQLite history into PostgreSQL.
if (ImportSqliteCommand.IsInvocation(args)) return await ImportSqliteCommand.RunAsync(args);
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(ServerCommandLine.Usage);
    return 0;
}

var builder = WebApplication.CreateBuilder(ServerCommandLine.Options(args));
builder.UseVigilCommandLine();
// Serve _content/* and blazor.web.js from build output in every environment, not only Development.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddVigilThreadPool(builder.Configuration);
builder.Services.AddVigilNativeHeap();
builder.Services.AddVigilCore(builder.Configuration);
builder.Services.AddVigilDrift(builder.Configuration);
builder.Services.AddVigilRetention(builder.Configuration);
builder.Services.AddVigilAlerting(builder.Configuration);
builder.Services.AddChartRenderer();
builder.Services.AddVigilReplayHosting(builder.Configuration);
builder.Services.AddVigilApi();
builder.Services.AddVigilHealth();
builder.Services.AddVigilIngest();
builder.AddVigilOtlpGrpc();
builder.Services.AddVigilAuth();
builder.Services.AddVigilAccounts();
builder.Services.AddVigilForwardedHeaders(builder.Configuration);
builder.Services.AddVigilRateLimits(builder.Configuration);
builder.Services.AddVigilLive(builder.Configuration);
builder.Services.AddHostedService<StartupBanner>();
builder.Services.AddMudServices();
builder.Services.AddVigilDashboard();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();

app.UseVigilForwardedHeaders();
app.UseExceptionHandler();
app.UseVigilSecurityHeaders();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
// After authorization: the ingest limiter partitions by the authenticated key, never by what a caller made up.
app.UseRateLimiter();
app.UseJsonBodyGuard();
app.UseAntiforgery();

app.MapHealthEndpoints();
app.MapIngestEndpoints();
app.MapOtlpGrpc();
app.MapTraceEndpoints();
app.MapSessionEndpoints();
app.MapScoreEndpoints();
app.MapDashboardExport();
app.MapProjectEndpoints();
app.MapAccountEndpoints();
app.MapAccountApi();
app.MapAuditEndpoints();
app.MapDriftEndpoints();
app.MapNotificationEndpoints();
app.MapMetricsEndpoints();
app.MapRetentionEndpoints();
app.MapReplayEndpoints();
app.MapAlertingEndpoints();
app.MapLiveHub();
app.MapVigilApiDocs();

app.MapStaticAssets();
// Blazor adds its own frame-ancestors CSP; make it agree with the security headers (no framing at all).
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = "'none'");

// A taken address ends the run with one clear line and exit code 1, not an unhandled exception.
return await app.RunOrExplainAsync();
