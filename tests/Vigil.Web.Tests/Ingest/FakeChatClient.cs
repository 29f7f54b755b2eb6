using Microsoft.Extensions.AI;

namespace Vigil.Web.Tests.Ingest;

/// <summary>A model that always answers the same, with usage and a model id, so the OpenTelemetry span is predictable.</summary>
internal sealed class FakeChatClient : IChatClient
{
    public const string ModelId = "fake-model-2026-01-01";
    public const string Answer = "Paris is the capital of France.";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer))
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 21, OutputTokenCount = 8, TotalTokenCount = 29 },
        });

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The fake model does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("fakeai", new Uri("http://fake.invalid/"), "fake-model") : null;

    public void Dispose() { }
}
