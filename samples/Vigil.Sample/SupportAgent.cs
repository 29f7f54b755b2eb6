using Microsoft.Extensions.AI;
using Vigil.Sdk;
using Vigil.Sdk.Integrations;
using Vigil.Sdk.Tracing;

namespace Vigil.Sample;

/// <summary>Tools the agent calls; the attributes make each call a tool span through <see cref="VigilProxy"/>.</summary>
public interface IOrderTools
{
    [Span(Kind = SpanKind.Tool, Name = "lookup_order")]
    Task<OrderInfo> LookupOrderAsync(int orderId);

    [Span(Kind = SpanKind.Tool, Name = "issue_refund")]
    Task<string> IssueRefundAsync(int orderId, decimal amount);
}

public sealed record OrderInfo(int OrderId, string Status, decimal Total);

internal sealed class OrderTools(Random random) : IOrderTools
{
    public async Task<OrderInfo> LookupOrderAsync(int orderId)
    {
        await Task.Delay(random.Next(5, 40));
        if (random.NextDouble() < 0.05) throw new InvalidOperationException($"order service unavailable for {orderId}");
        return new OrderInfo(orderId, random.NextDouble() < 0.7 ? "shipped" : "processing", random.Next(10, 300));
    }

    public async Task<string> IssueRefundAsync(int orderId, decimal amount)
    {
        await Task.Delay(random.Next(10, 60));
        return $"refund-{orderId}-{amount:0}";
    }
}

/// <summary>A support agent: retrieve help articles, plan with one model, call tools, answer with another (streamed).</summary>
internal sealed class SupportAgent
{
    private static readonly string[] Questions =
    [
        "Where is my order?", "I want a refund for a broken mug.", "Can I change my delivery address?",
        "My parcel is late, what happened?", "How do I return an item?",
    ];
    private static readonly string[] Articles = ["shipping-times", "refund-policy", "returns", "address-changes", "carrier-delays", "vouchers"];

    private readonly VigilClient _vigil;
    private readonly Random _random;
    private readonly IChatClient _planner;
    private readonly IChatClient _writer;
    private readonly IOrderTools _tools;

    public SupportAgent(VigilClient vigil, Random random)
    {
        _vigil = vigil;
        _random = random;
        _planner = new ChatClientBuilder(new FakeLlm("gpt-4o-mini", "openai", random)).UseVigil(vigil).Build();
        _writer = new ChatClientBuilder(new FakeLlm("claude-haiku-4-5", "anthropic", random)).UseVigil(vigil).Build();
        _tools = VigilProxy.Create<IOrderTools>(new OrderTools(random), vigil);
    }

    public async Task RunAsync(int ticket, CancellationToken cancellationToken)
    {
        var question = Questions[_random.Next(Questions.Length)];
        var orderId = _random.Next(10_000, 99_999);
        using var trace = _vigil.StartTrace("support-ticket", new Dictionary<string, object?> { ["ticket"] = ticket, ["channel"] = "chat" },
            input: new { question, order_id = orderId });
        try
        {
            using var agent = _vigil.StartSpan("support-agent", SpanKind.Agent, new { question });
            var articles = await RetrieveAsync(question, cancellationToken);

            var plan = await _planner.GetResponseAsync(
                [new(ChatRole.System, "Decide which tools to call."), new(ChatRole.User, question)],
                new ChatOptions { ModelId = "gpt-4o-mini", Temperature = 0.2f, MaxOutputTokens = 200 }, cancellationToken);

            OrderInfo? order = null;
            try
            {
                order = await _tools.LookupOrderAsync(orderId);
                if (question.Contains("refund", StringComparison.OrdinalIgnoreCase))
                {
                    await _tools.IssueRefundAsync(orderId, order.Total);
                }
            }
            catch (InvalidOperationException e)
            {
                // The agent copes without order data; the tool span keeps the error.
                _vigil.LogEvent("tool_failed", new Dictionary<string, object?> { ["error"] = e.Message });
            }

            var answer = new System.Text.StringBuilder();
            await foreach (var update in _writer.GetStreamingResponseAsync(
                [new(ChatRole.System, $"Answer kindly. Articles: {string.Join(", ", articles)}. Plan: {plan.Text}"),
                 new(ChatRole.User, $"{question} (order {orderId}, status {order?.Status ?? "unknown"})")],
                new ChatOptions { ModelId = "claude-haiku-4-5", Temperature = 0.7f, MaxOutputTokens = 400 }, cancellationToken))
            {
                answer.Append(update.Text);
            }
            agent.SetOutput(new { answer = answer.ToString().Trim() });
            trace.SetOutput(new { answer = answer.ToString().Trim() });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            trace.RecordException(e);   // an LLM timeout fails the whole ticket
        }
    }

    private async Task<string[]> RetrieveAsync(string question, CancellationToken cancellationToken)
    {
        using var span = _vigil.StartSpan("kb-search", SpanKind.Retriever, new { query = question, top_k = 3 });
        await Task.Delay(_random.Next(5, 50), cancellationToken);
        var hits = Articles.OrderBy(_ => _random.Next()).Take(3).ToArray();
        span.SetOutput(new { documents = hits });
        return hits;
    }
}
