using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Sdk.Tracing;

namespace Vigil.Sdk.Integrations;

/// <summary>
/// Microsoft.Extensions.AI middleware: each <see cref="IChatClient"/> call becomes an llm span with the
/// replayable input/output shape. Add it with <c>builder.UseVigil()</c>.
/// </summary>
public sealed class VigilChatClient : DelegatingChatClient
{
    private readonly VigilClient _vigil;

    public VigilChatClient(IChatClient innerClient, VigilClient vigil) : base(innerClient)
    {
        _vigil = vigil ?? throw new ArgumentNullException(nameof(vigil));
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        using var span = Begin(list, options, streaming: false);
        try
        {
            var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
            Record(span, response.Text, response.ModelId, response.FinishReason?.Value, response.Usage, options);
            return response;
        }
        catch (Exception e)
        {
            span.RecordException(e);
            throw;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        // Detached: an iterator's frames interleave with the consumer's, so the span must not become ambient.
        var span = _vigil.StartDetachedSpan("chat.stream", SpanKind.Llm, null);
        Fill(span, list, options, streaming: true);
        var started = Stopwatch.GetTimestamp();
        var text = new StringBuilder();
        string? model = null, finish = null;
        UsageDetails? usage = null;
        var first = true;
        await using var e = base.GetStreamingResponseAsync(list, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await e.MoveNextAsync().ConfigureAwait(false)) break;
                    update = e.Current;
                }
                catch (Exception ex)
                {
                    span.RecordException(ex);
                    throw;
                }
                try
                {
                    if (first && !string.IsNullOrEmpty(update.Text))
                    {
                        first = false;
                        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                        span.AddEvent("first_token", new Dictionary<string, object?> { ["time_to_first_token_ms"] = ms });
                        span.SetMetadata("time_to_first_token_ms", ms);
                    }
                    text.Append(update.Text);
                    model = update.ModelId ?? model;
                    finish = update.FinishReason?.Value ?? finish;
                    foreach (var content in update.Contents)
                    {
                        if (content is UsageContent u) usage = u.Details;
                    }
                }
                catch (Exception ex)
                {
                    _vigil.Logger.LogDebug(ex, "Vigil could not record a chat stream update");
                }
                yield return update;
            }
            Record(span, text.ToString(), model, finish, usage, options);
        }
        finally
        {
            span.End();
        }
    }

    private VigilSpan Begin(IList<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        var span = _vigil.StartSpan("chat", SpanKind.Llm);
        Fill(span, messages, options, streaming);
        return span;
    }

    private void Fill(VigilSpan span, IList<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        try
        {
            var metadata = this.GetService<ChatClientMetadata>();
            var model = options?.ModelId ?? metadata?.DefaultModelId;
            var input = new JsonObject { ["model"] = model };
            var array = new JsonArray();
            foreach (var m in messages) array.Add(new JsonObject { ["role"] = m.Role.Value, ["content"] = m.Text });
            input["messages"] = array;
            if (options?.Temperature is { } t) input["temperature"] = t;
            if (options?.MaxOutputTokens is { } max) input["max_tokens"] = max;
            if (options?.TopP is { } p) input["top_p"] = p;
            if (options?.StopSequences is { Count: > 0 } stop) input["stop"] = new JsonArray(stop.Select(s => (JsonNode?)s).ToArray());
            if (options?.Tools is { Count: > 0 } tools)
            {
                input["tools"] = new JsonArray(tools.Select(tool => (JsonNode?)new JsonObject { ["name"] = tool.Name, ["description"] = tool.Description }).ToArray());
            }
            span.SetInput(input);
            span.SetModel(model, NormalizeProvider(metadata?.ProviderName));
            span.SetMetadata("stream", streaming);
            // The conversation the caller continues names the session, unless the trace already has one.
            if (options?.ConversationId is { Length: > 0 } conversation && span.Trace.SessionId is null) span.SetSession(conversation);
        }
        catch (Exception e)
        {
            _vigil.Logger.LogDebug(e, "Vigil could not record a chat request");
        }
    }

    private void Record(VigilSpan span, string? text, string? model, string? finish, UsageDetails? usage, ChatOptions? options)
    {
        try
        {
            model ??= options?.ModelId;
            span.SetOutput(LlmRecord.Output(text, model, finish, usage?.InputTokenCount, usage?.OutputTokenCount, usage?.TotalTokenCount));
            span.SetModel(model);
            span.SetUsage(usage?.InputTokenCount, usage?.OutputTokenCount);
        }
        catch (Exception e)
        {
            _vigil.Logger.LogDebug(e, "Vigil could not record a chat response");
        }
    }

    private static string? NormalizeProvider(string? provider) => provider?.ToLowerInvariant() switch
    {
        null => null,
        var p when p.Contains("openai", StringComparison.Ordinal) => "openai",
        var p when p.Contains("anthropic", StringComparison.Ordinal) => "anthropic",
        var p => p,
    };
}

public static class VigilChatClientBuilderExtensions
{
    /// <summary>Adds Vigil tracing to the pipeline; the <see cref="VigilClient"/> comes from DI unless given.</summary>
    public static ChatClientBuilder UseVigil(this ChatClientBuilder builder, VigilClient? vigil = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new VigilChatClient(inner, vigil ?? services.GetRequiredService<VigilClient>()));
    }
}
