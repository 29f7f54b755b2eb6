using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using Vigil.Core.Projects;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Fuzz;

/// <summary>
/// Every other endpoint that takes a body (from the OpenAPI document, so a new one is covered without listing it here)
/// gets generated and mutated bodies: malformed, truncated, not UTF-8, wrongly typed, nested deep, oversized. Each answer
/// is 2xx or 4xx, never 5xx.
/// </summary>
public sealed class ApiBodyFuzzTests(FuzzFactory factory) : IClassFixture<FuzzFactory>
{
    private const int PerEndpoint = 300;
    private const string Project = "fuzz-api";

    /// <summary>Every field any of these endpoints reads, well-formed, for the mutator to start from.</summary>
    private static readonly byte[] Seed = Encoding.UTF8.GetBytes("""
        {"status":"ok","metadata":{"a":1,"b":null},"name":"fuzz","attributes":{"k":"v"},
         "mutations":{"s1":{"model":"gpt-4o","temperature":0.5,"max_tokens":10,"top_p":0.9,"system":"brief","provider":"openai",
           "messages":[{"role":"user","content":"hi"}]}},"only_spans":["s1"],
         "openai":{"api_key":"sk-test","base_url":"http://127.0.0.1:9/v1"},"anthropic":{"api_key":"ak","base_url":"http://127.0.0.1:9"},
         "id":"fuzz-new","description":"made by the fuzzer"}
        """);

    private static readonly Gen<(byte[] Body, string ContentType)> Bodies = Gen.Select(
        Gen.Frequency(
            (6, Mutations.Of(Gen.Const(Seed))),
            (2, JsonText.AnyValue),
            (1, JsonText.Deep),
            (1, Gen.Int[0, JsonText.HostileStringContents.Length - 1].Select(i => JsonText.Concat(Seed[..20], JsonText.HostileStringContents[i], Seed[20..]))),
            (1, Gen.Const(Array.Empty<byte>())),
            (1, Gen.Int[100_000, 300_000].Select(n => JsonText.Obj([("name", JsonText.Str(new string('x', n)))])))),
        Gen.Frequency((12, Gen.Const("application/json")), (1, Gen.Const("text/plain")), (1, Gen.Const("application/json; charset=utf-16"))));

    [Fact]
    public async Task Every_endpoint_with_a_body_answers_generated_bodies_with_2xx_or_4xx()
    {
        var projects = factory.Get<ProjectService>();
        var (_, secret) = await projects.CreateAsync(Project, "Fuzz API", null);
        var seeded = await factory.ClientWithKey(secret).PostTracesAsync(
            """{"spans":[{"span_id":"s1","trace_id":"fuzz-trace","name":"chat","kind":"llm","input":{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]},"output":{"content":"hello"}}]}""");
        Assert.Equal(HttpStatusCode.Created, seeded.StatusCode);
        var run = await factory.Get<Vigil.Core.Replay.ReplayService>().EstimateAsync(Project, "fuzz-trace", null);
        var key = await projects.CreateKeyAsync(Project, "fuzzed");

        var endpoints = await EndpointsWithBodiesAsync();
        Assert.True(endpoints.Count >= 5, "Too few endpoints with a body: " + string.Join(", ", endpoints));
        var failures = new List<string>();
        foreach (var (method, template) in endpoints)
        {
            var path = template.Replace("{projectId}", Project).Replace("{traceId}", "fuzz-trace").Replace("{spanId}", "s1")
                .Replace("{runId}", run.Value!.Run.Id).Replace("{keyId}", key.Key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Replace("{id}", "1");
            // The admin key opens admin endpoints; project-scoped ones need the project's key (a fresh one: rotations revoke).
            var client = factory.ClientWithKey(FuzzFactory.AdminKey);
            if ((await SendAsync(client, method, path, ("{}"u8.ToArray(), "application/json"))).StatusCode == HttpStatusCode.Forbidden)
                client = factory.ClientWithKey((await projects.CreateKeyAsync(Project, "fuzz-" + method)).Secret);

            await Bodies.SampleAsync(async body =>
            {
                using var response = await SendAsync(client, method, path, body);
                if ((int)response.StatusCode >= 500)
                    throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}"
                        + $"\nServer errors: {string.Join("\n", factory.Errors.TakeLast(2))}");
            }, iter: PerEndpoint, threads: 2, print: b => $"{method} {path} {b.ContentType}: {Encoding.UTF8.GetString(b.Body.AsSpan(0, Math.Min(b.Body.Length, 500)))}");
        }
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health")).StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, (byte[] Body, string ContentType) body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body.Body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", body.ContentType);
        return await client.SendAsync(request);
    }

    private async Task<List<(string Method, string Path)>> EndpointsWithBodiesAsync()
    {
        using var doc = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"));
        var list = new List<(string, string)>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var op in path.Value.EnumerateObject())
                if (op.Value.ValueKind == JsonValueKind.Object && op.Value.TryGetProperty("requestBody", out _) && path.Name != "/v1/traces")
                    list.Add((op.Name.ToUpperInvariant(), path.Name));
        return list;
    }
}
