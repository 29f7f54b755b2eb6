using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Vigil.Core.Storage;
using Vigil.Web.Accounts;
using Vigil.Web.Ingest.Grpc;
using Vigil.Web.Replay;

namespace Vigil.Web.Hosting;

/// <summary>
/// Once the server listens, prints where the dashboard is and, on a first start, the new project key with a
/// ready-to-paste curl command, and while no user exists, the one-time link that creates the admin account. The key is
/// printed once and then forgotten; the link works until it is used. Every start says where the data and the key ring
/// live (back them up together: the key ring decrypts the provider keys stored in the database).
/// </summary>
internal sealed class StartupBanner(
    IHostApplicationLifetime lifetime, IServer server, FirstRun firstRun, SetupToken setup, StorageLocation storage, KeyRingLocation keyRing,
    OtlpGrpcListener grpc,
    ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    private void Print()
    {
        // The dashboard's address: the first one that is not the OTLP/gRPC endpoint's (Kestrel lists both).
        var grpcAddress = grpc.Address;
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .FirstOrDefault(a => grpcAddress is null || !Uri.TryCreate(a, UriKind.Absolute, out var u) || u.Port != grpcAddress.Port) ?? "http://localhost:5000";
        address = address.Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://+", "://localhost").Replace("://*", "://localhost");
        if (grpcAddress is not null) logger.LogInformation("OTLP/gRPC (traces, logs) listens on {GrpcAddress}", grpcAddress);
        var key = firstRun.NewApiKey;
        firstRun.NewApiKey = null;
        // Printed to the console, not logged: like the key, the setup token must not reach log sinks.
        var setupLine = setup.Current is { } token
            ? $"\n Create the admin account (one-time link):\n\n     {address}/account/setup?token={token}\n"
            : "";
        if (setupLine.Length > 0)
            logger.LogInformation("No user exists yet: printed the one-time setup link to the console");
        var database = storage.DatabasePath ?? "(not a file)";
        if (key is null)
        {
            if (setupLine.Length > 0) Console.WriteLine($"\n{new string('=', 78)}{setupLine}{new string('=', 78)}\n");
            logger.LogInformation("Vigil is running. Dashboard: {Address}  API reference: {Address}/scalar  Database: {Database}  Key ring: {KeyRing}",
                address, address, database, keyRing.Path);
            return;
        }
        // Printed to the console, not logged: the secret must not reach log sinks.
        var curl = $$$"""
            curl -X POST {{{address}}}/v1/traces -H "Authorization: Bearer {{{key}}}" -H "Content-Type: application/json" \
              -d '{"spans":[{"span_id":"s1","trace_id":"hello-1","name":"llm-call","kind":"llm","status":"ok","input":{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]},"output":{"content":"Hello","usage":{"prompt_tokens":9,"completion_tokens":3}},"start_time":"2026-01-01T00:00:00Z","end_time":"2026-01-01T00:00:01.25Z"}]}'
            curl {{{address}}}/v1/traces/hello-1 -H "Authorization: Bearer {{{key}}}"
            """;
        var line = new string('=', 78);
        Console.WriteLine($"""

            {line}
             Vigil is running: {address}
             Database: {database}
             Key ring: {keyRing.Path} (owner-only; back it up with the database)
             First start: created project '{firstRun.ProjectId}' with this API key (shown once, keep it):

                 {key}

             Send a first trace:

            {curl}
            {setupLine}
            {line}

            """);
        logger.LogInformation("Printed the first-start API key banner for project {ProjectId}", firstRun.ProjectId);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
