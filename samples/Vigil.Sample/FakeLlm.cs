using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Vigil.Sample;

/// <summary>
/// A deterministic local stand-in for an LLM (no network): answers from templates, with latency, token counts and
/// occasional failures (<paramref name="failureRate"/>) drawn from a seeded random source. Shared by the samples.
/// </summary>
internal sealed class FakeLlm(string model, string provider, Random random, double failureRate = 0.03) : IChatClient
{
    private static readonly string[] Answers =
    [
        "Your order {0} left our warehouse and should arrive within two days.",
        "I have started a refund for order {0}; it will show on your statement in 3-5 days.",
        "Order {0} is delayed by the carrier. I am sorry: here is a 10% voucher.",
        "You can change the delivery address of order {0} from your account page until it ships.",
    ];

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (text, usage) = Compose(messages);
        await Task.Delay(Latency(), cancellationToken);
        MaybeFail();
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = options?.ModelId ?? model,
            FinishReason = ChatFinishReason.Stop,
            Usage = usage,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (text, usage) = Compose(messages);
        await Task.Delay(Latency(), cancellationToken);   // time to first token
        MaybeFail();
        foreach (var word in text.Split(' '))
        {
            await Task.Delay(random.Next(1, 6), cancellationToken);
            yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ") { ModelId = options?.ModelId ?? model };
        }
        yield return new ChatResponseUpdate { ModelId = model, FinishReason = ChatFinishReason.Stop, Contents = [new UsageContent(usage)] };
    }

    private (string Text, UsageDetails Usage) Compose(IEnumerable<ChatMessage> messages)
    {
        var prompt = string.Join("\n", messages.Select(m => m.Text));
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, Answers[random.Next(Answers.Length)], random.Next(1000, 9999));
        long input = prompt.Length / 4 + 10, output = text.Length / 4 + 1;
        return (text, new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output });
    }

    // Heavy-tailed latency: mostly 20-120 ms, sometimes much slower.
    private TimeSpan Latency() => TimeSpan.FromMilliseconds(random.NextDouble() < 0.1 ? random.Next(300, 900) : random.Next(20, 120));

    private void MaybeFail()
    {
        if (random.NextDouble() < failureRate) throw new TimeoutException($"{provider} {model}: upstream timed out");
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(provider, null, model) : null;

    public void Dispose() { }
}
