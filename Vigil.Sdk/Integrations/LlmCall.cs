using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Vigil.Sdk.Tracing;

namespace Vigil.Sdk.Integrations;

/// <summary>One recorded LLM call: its span from the request to the answer, complete or streamed. Never throws into the caller.</summary>
internal sealed class LlmCall
{
    private readonly VigilClient _client;
    private readonly LlmWireFormat _format;
    private readonly VigilSpan _span;
    private readonly long _started = Stopwatch.GetTimestamp();
    private ServerSentEvents? _events;
    private LlmStreamParser? _parser;
    private bool _firstToken;

    private LlmCall(VigilClient client, LlmWireFormat format, VigilSpan span, bool streaming)
    {
        _client = client;
        _format = format;
        _span = span;
        Streaming = streaming;
    }

    public bool Streaming { get; }

    /// <summary>Starts the span from the request body (null when it could not be read); null when recording failed.</summary>
    public static LlmCall? Begin(VigilClient client, LlmWireFormat format, byte[]? body)
    {
        try
        {
            JsonObject input = [];
            var streaming = false;
            if (body is { Length: > 0 })
            {
                using var doc = JsonDocument.Parse(body);
                input = format.ReadRequest(doc.RootElement);
                streaming = format.IsStreaming(doc.RootElement);
            }
            var span = client.StartDetachedSpan(format.SpanName, SpanKind.Llm, input);
            span.SetModel(input["model"]?.GetValue<string>(), format.Provider);
            span.SetMetadata("stream", streaming);
            return new LlmCall(client, format, span, streaming);
        }
        catch (Exception e)
        {
            client.Logger.LogDebug(e, "Vigil could not record an LLM request");
            return null;
        }
    }

    public void Fail(Exception e)
    {
        _span.RecordException(e);
        _span.End();
    }

    /// <summary>A complete answer: recorded, and handed back to the caller as fresh, re-readable content with the same headers.</summary>
    public void Complete(HttpResponseMessage response, byte[] bytes)
    {
        try
        {
            var replacement = new ByteArrayContent(bytes);
            foreach (var header in response.Content.Headers) replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Content = replacement;
            _span.SetMetadata("http_status", (int)response.StatusCode);
            if (!response.IsSuccessStatusCode)
            {
                _span.SetOutput(new JsonObject { ["error"] = Encoding.UTF8.GetString(bytes) });
                _span.SetStatus(SpanStatus.Error, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                return;
            }
            using var doc = JsonDocument.Parse(bytes);
            ApplyOutput(_format.ReadResponse(doc.RootElement));
        }
        catch (Exception e)
        {
            _client.Logger.LogDebug(e, "Vigil could not record an LLM response");
        }
        finally
        {
            _span.End();
        }
    }

    /// <summary>A streamed answer: recorded as the caller reads it (<see cref="RecordingContent"/>).</summary>
    public void WrapStream(HttpResponseMessage response)
    {
        _events = new ServerSentEvents();
        _parser = _format.CreateStreamParser();
        response.Content = new RecordingContent(response.Content, this);
    }

    public void Feed(ReadOnlySpan<byte> data)
    {
        try
        {
            _events!.Feed(data, OnEvent);
        }
        catch (Exception e)
        {
            _client.Logger.LogDebug(e, "Vigil could not parse an LLM stream event");
        }
    }

    private void OnEvent(JsonElement data)
    {
        if (_parser!.OnEvent(data) is not { Length: > 0 } || _firstToken) return;
        _firstToken = true;
        var ms = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
        _span.AddEvent("first_token", new Dictionary<string, object?> { ["time_to_first_token_ms"] = ms });
        _span.SetMetadata("time_to_first_token_ms", ms);
    }

    public void StreamEnded(bool complete)
    {
        if (_span.IsEnded) return;
        try
        {
            _events?.Flush(OnEvent);
            if (!complete) _span.SetMetadata("stream_incomplete", true);
            if (_parser is not null) ApplyOutput(_parser.Output());
        }
        catch (Exception e)
        {
            _client.Logger.LogDebug(e, "Vigil could not record an LLM stream");
        }
        finally
        {
            _span.End();
        }
    }

    private void ApplyOutput(JsonObject output)
    {
        _span.SetOutput(output);
        _span.SetModel(output["model"]?.GetValue<string>());
        if (output["usage"] is JsonObject usage)
            _span.SetUsage(usage["prompt_tokens"]?.GetValue<long?>(), usage["completion_tokens"]?.GetValue<long?>());
    }
}
