using System.Collections.Concurrent;
using System.Text.Json;
using Vigil.Sdk.Export;

namespace Vigil.Sdk.Tests.Infrastructure;

/// <summary>In-memory transport: keeps every span of every batch as JSON.</summary>
internal sealed class CapturingTransport : IVigilTransport
{
    public ConcurrentQueue<JsonElement> Spans { get; } = new();
    public ConcurrentQueue<JsonElement> Batches { get; } = new();
    public ConcurrentQueue<JsonElement> Scores { get; } = new();

    public Task<TransportResult> SendAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement.Clone();
        Batches.Enqueue(root);
        foreach (var span in root.GetProperty("spans").EnumerateArray()) Spans.Enqueue(span);
        return Task.FromResult(new TransportResult(201));
    }

    public Task<TransportResult> SendScoreAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var doc = JsonDocument.Parse(body);
        Scores.Enqueue(doc.RootElement.Clone());
        return Task.FromResult(new TransportResult(201));
    }

    public JsonElement Single(string name) => Spans.Single(s => s.GetProperty("name").GetString() == name);

    public void Dispose() { }
}

internal static class TestClients
{
    public static (VigilClient Client, CapturingTransport Transport) Capturing(Action<VigilOptions>? configure = null)
    {
        var transport = new CapturingTransport();
        var options = new VigilOptions
        {
            Endpoint = "http://127.0.0.1:9",
            ApiKey = "test-key",
            FlushInterval = TimeSpan.FromMilliseconds(20),
            Transport = transport,
        };
        configure?.Invoke(options);
        return (new VigilClient(options), transport);
    }

    public static string? Str(this JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
