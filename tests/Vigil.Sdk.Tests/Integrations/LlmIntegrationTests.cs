using System.ClientModel;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using Vigil.Sdk.Integrations;
using Vigil.Sdk.Tests.Infrastructure;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;

namespace Vigil.Sdk.Tests.Integrations;

public sealed class LlmIntegrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ChatClient OpenAIChat(FakeLlmServer server, VigilClient vigil) =>
        new("gpt-4o", new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = new Uri(server.Url + "/v1") }.UseVigil(vigil));

    private static OpenAI.Chat.ChatMessage[] Conversation =>
        [new SystemChatMessage("You are a support agent."), new UserChatMessage("Where is my order?")];

    private static void AssertLlmSpan(JsonElement span, string provider, string model, string content, int inTokens, int outTokens)
    {
        Assert.Equal("llm", span.Str("kind"));
        Assert.Equal("ok", span.Str("status"));
        Assert.Equal(provider, span.Str("provider"));
        Assert.Equal(model, span.Str("model"));
        Assert.Equal(inTokens, span.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(outTokens, span.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        var output = span.GetProperty("output");
        Assert.Equal(content, output.Str("content"));
        Assert.Equal(model, output.Str("model"));
        Assert.Equal(inTokens, output.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(outTokens, output.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(inTokens + outTokens, output.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        var messages = span.GetProperty("input").GetProperty("messages");
        Assert.True(messages.GetArrayLength() >= 2);
        Assert.Equal("system", messages[0].Str("role"));
    }

    [Fact]
    public async Task OpenAI_complete_sync_and_async_are_recorded_with_the_replayable_shape()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var (vigil, transport) = TestClients.Capturing();
        await using var _ = vigil;
        var chat = OpenAIChat(server, vigil);
        var options = new ChatCompletionOptions { Temperature = 0.2f, MaxOutputTokenCount = 64, TopP = 0.9f };
        options.StopSequences.Add("END");

        using (vigil.StartTrace("support"))
        {
            var completion = await chat.CompleteChatAsync(Conversation, options, Ct);
            Assert.Equal("Your order ships tomorrow.", completion.Value.Content[0].Text);
            var syncCompletion = chat.CompleteChat(Conversation, options, Ct);
            Assert.Equal("Your order ships tomorrow.", syncCompletion.Value.Content[0].Text);
        }
        await vigil.ForceFlushAsync(Ct);

        var root = transport.Single("support");
        var llm = transport.Spans.Where(s => s.Str("kind") == "llm").ToArray();
        Assert.Equal(2, llm.Length);
        foreach (var span in llm)
        {
            AssertLlmSpan(span, "openai", "gpt-4o-2024", "Your order ships tomorrow.", 12, 5);
            Assert.Equal(root.Str("span_id"), span.Str("parent_span_id"));
            var input = span.GetProperty("input");
            Assert.Equal("gpt-4o", input.Str("model"));
            Assert.Equal("Where is my order?", input.GetProperty("messages")[1].Str("content"));
            Assert.Equal(0.2, input.GetProperty("temperature").GetDouble(), 3);
            Assert.Equal(64, input.GetProperty("max_tokens").GetInt32());
            Assert.Equal("END", input.GetProperty("stop")[0].GetString());
            Assert.Equal("stop", span.GetProperty("output").Str("finish_reason"));
        }
    }

    [Fact]
    public async Task OpenAI_streaming_sync_and_async_record_content_usage_and_time_to_first_token()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var (vigil, transport) = TestClients.Capturing();
        await using var _ = vigil;
        var chat = OpenAIChat(server, vigil);

        var text = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync(Conversation, cancellationToken: Ct))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
        }
        Assert.Equal("Hello there", text.ToString());
        text.Clear();
        foreach (var update in chat.CompleteChatStreaming(Conversation, cancellationToken: Ct))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
        }
        Assert.Equal("Hello there", text.ToString());
        await vigil.ForceFlushAsync(Ct);

        Assert.Equal(2, transport.Spans.Count);
        foreach (var span in transport.Spans)
        {
            AssertLlmSpan(span, "openai", "gpt-4o-2024", "Hello there", 8, 2);
            Assert.True(span.GetProperty("metadata").GetProperty("stream").GetBoolean());
            Assert.True(span.GetProperty("metadata").GetProperty("time_to_first_token_ms").GetDouble() >= 0);
            Assert.Contains(span.GetProperty("events").EnumerateArray(), e => e.Str("name") == "first_token");
        }
    }

    private static MessageCreateParams AnthropicParams() => new()
    {
        Model = "claude-sonnet-4-5",
        MaxTokens = 256,
        System = "You are a support agent.",
        Messages = [new UserMessageParam("Can I get a refund?")],
    };

    [Fact]
    public async Task Anthropic_create_and_stream_are_recorded()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var (vigil, transport) = TestClients.Capturing();
        await using var _ = vigil;
        var anthropic = new AnthropicClient { ApiKey = "sk-ant-test", BaseUrl = server.Url, MaxRetries = 0, Handlers = [vigil.AnthropicHandler()] };

        var message = await anthropic.Messages.Create(AnthropicParams(), Ct);
        Assert.Contains(message.Content, b => b.TryPickText(out var t) && t.Text == "Refund approved.");
        await vigil.ForceFlushAsync(Ct);
        var created = Assert.Single(transport.Spans);
        AssertLlmSpan(created, "anthropic", "claude-sonnet-4-5", "Refund approved.", 20, 4);
        var input = created.GetProperty("input");
        Assert.Equal("claude-sonnet-4-5", input.Str("model"));
        Assert.Equal(256, input.GetProperty("max_tokens").GetInt32());
        Assert.Equal("You are a support agent.", input.GetProperty("messages")[0].Str("content"));
        Assert.Equal("Can I get a refund?", input.GetProperty("messages")[1].Str("content"));
        Assert.Equal("end_turn", created.GetProperty("output").Str("finish_reason"));

        var events = 0;
        await foreach (var _evt in anthropic.Messages.CreateStreaming(AnthropicParams(), Ct)) events++;
        Assert.Equal(7, events);
        await vigil.ForceFlushAsync(Ct);
        var streamed = transport.Spans.Last();
        AssertLlmSpan(streamed, "anthropic", "claude-sonnet-4-5", "Streaming works.", 15, 3);
        Assert.True(streamed.GetProperty("metadata").GetProperty("time_to_first_token_ms").GetDouble() >= 0);
    }

    [Fact]
    public async Task ChatClient_middleware_records_responses_and_streams()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var (vigil, transport) = TestClients.Capturing();
        await using var _ = vigil;
        // The plain OpenAI client (no Vigil handler), so only the middleware records.
        var inner = new ChatClient("gpt-4o-mini", new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = new Uri(server.Url + "/v1") }).AsIChatClient();
        using var client = new ChatClientBuilder(inner).UseVigil(vigil).Build();
        AIChatMessage[] messages = [new(AIChatRole.System, "You are a support agent."), new(AIChatRole.User, "Where is my order?")];

        using (vigil.StartTrace("meai"))
        {
            var response = await client.GetResponseAsync(messages, new ChatOptions { Temperature = 0.1f, MaxOutputTokens = 32 }, Ct);
            Assert.Equal("Your order ships tomorrow.", response.Text);
            var streamed = new StringBuilder();
            await foreach (var update in client.GetStreamingResponseAsync(messages, cancellationToken: Ct)) streamed.Append(update.Text);
            Assert.Equal("Hello there", streamed.ToString());
        }
        await vigil.ForceFlushAsync(Ct);

        var root = transport.Single("meai");
        var chat = transport.Single("chat");
        AssertLlmSpan(chat, "openai", "gpt-4o-mini-2024", "Your order ships tomorrow.", 12, 5);
        Assert.Equal(root.Str("span_id"), chat.Str("parent_span_id"));
        Assert.Equal("gpt-4o-mini", chat.GetProperty("input").Str("model"));
        Assert.Equal(32, chat.GetProperty("input").GetProperty("max_tokens").GetInt32());
        var stream = transport.Single("chat.stream");
        AssertLlmSpan(stream, "openai", "gpt-4o-mini-2024", "Hello there", 8, 2);
        Assert.Equal(root.Str("span_id"), stream.Str("parent_span_id"));
        Assert.True(stream.GetProperty("metadata").GetProperty("time_to_first_token_ms").GetDouble() >= 0);
    }
}
