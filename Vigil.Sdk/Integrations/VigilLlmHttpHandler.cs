using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Vigil.Sdk.Tracing;

namespace Vigil.Sdk.Integrations;

/// <summary>LLM providers whose HTTP wire format <see cref="VigilLlmHttpHandler"/> understands.</summary>
public enum LlmProvider
{
    OpenAI,
    Anthropic,
}

/// <summary>
/// An <see cref="HttpMessageHandler"/> for the official OpenAI and Anthropic .NET clients: every chat completion
/// (<c>POST …/chat/completions</c>) or message (<c>POST …/v1/messages</c>) becomes an llm span whose input is the
/// request as sent (so replay can re-run it) and whose output is the answer, streamed or not.
/// Working at the HTTP layer covers sync, async and streaming calls of both clients with one piece of code and
/// records exactly what went over the wire. Recording problems are logged, never thrown.
/// </summary>
public sealed class VigilLlmHttpHandler : DelegatingHandler
{
    private readonly VigilClient _client;
    private readonly LlmProvider _provider;

    public VigilLlmHttpHandler(VigilClient client, LlmProvider provider)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _provider = provider;
    }

    public VigilLlmHttpHandler(VigilClient client, LlmProvider provider, HttpMessageHandler innerHandler)
        : this(client, provider) => InnerHandler = innerHandler;

    private string ProviderName => _provider == LlmProvider.OpenAI ? "openai" : "anthropic";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!IsLlmCall(request)) return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        byte[]? body = null;
        try
        {
            body = await request.Content!.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _client.Logger.LogDebug(e, "Vigil could not read the LLM request body");
        }
        var call = Begin(request, body);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            call?.Fail(e);
            throw;
        }
        if (call is null) return response;
        if (call.Streaming && response.IsSuccessStatusCode)
        {
            call.WrapStream(response);
            return response;
        }
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        call.Complete(response, bytes);
        return response;
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!IsLlmCall(request)) return base.Send(request, cancellationToken);
        byte[]? body = null;
        try
        {
            using var stream = request.Content!.ReadAsStream(cancellationToken);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            body = copy.ToArray();
            if (stream.CanSeek) stream.Position = 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _client.Logger.LogDebug(e, "Vigil could not read the LLM request body");
        }
        var call = Begin(request, body);
        HttpResponseMessage response;
        try
        {
            response = base.Send(request, cancellationToken);
        }
        catch (Exception e)
        {
            call?.Fail(e);
            throw;
        }
        if (call is null) return response;
        if (call.Streaming && response.IsSuccessStatusCode)
        {
            call.WrapStream(response);
            return response;
        }
        using (var stream = response.Content.ReadAsStream(cancellationToken))
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            call.Complete(response, copy.ToArray());
        }
        return response;
    }

    private bool IsLlmCall(HttpRequestMessage request)
    {
        if (request.Method != HttpMethod.Post || request.Content is null || request.RequestUri is null) return false;
        var path = request.RequestUri.AbsolutePath.TrimEnd('/');
        return _provider == LlmProvider.OpenAI ? path.EndsWith("/chat/completions", StringComparison.Ordinal) : path.EndsWith("/messages", StringComparison.Ordinal);
    }

    private LlmCall? Begin(HttpRequestMessage request, byte[]? body)
    {
        try
        {
            if (body is not null)
            {
                // The client's content may be single-use; give it back a buffered copy.
                var replacement = new ByteArrayContent(body);
                foreach (var header in request.Content!.Headers) replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
                request.Content = replacement;
            }
            JsonObject input;
            var streaming = false;
            if (body is { Length: > 0 })
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                input = _provider == LlmProvider.OpenAI ? LlmRecord.FromOpenAIRequest(root) : LlmRecord.FromAnthropicRequest(root);
                streaming = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
            }
            else
            {
                input = new JsonObject();
            }
            var name = _provider == LlmProvider.OpenAI ? "openai.chat.completions" : "anthropic.messages";
            var span = _client.StartDetachedSpan(name, SpanKind.Llm, input);
            span.SetModel(input["model"]?.GetValue<string>(), ProviderName);
            span.SetMetadata("stream", streaming);
            return new LlmCall(this, span, streaming);
        }
        catch (Exception e)
        {
            _client.Logger.LogDebug(e, "Vigil could not record an LLM request");
            return null;
        }
    }

    /// <summary>State of one recorded call; also the SSE accumulator for streamed answers.</summary>
    private sealed class LlmCall(VigilLlmHttpHandler owner, VigilSpan span, bool streaming)
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private readonly StringBuilder _content = new();
        private readonly MemoryStream _line = new();
        private bool _firstToken;
        private string? _model, _finish;
        private long? _inTokens, _outTokens, _totalTokens;

        public bool Streaming { get; } = streaming;

        public void Fail(Exception e)
        {
            span.RecordException(e);
            span.End();
        }

        public void Complete(HttpResponseMessage response, byte[] bytes)
        {
            try
            {
                // Hand the caller a fresh, re-readable content with the same headers.
                var replacement = new ByteArrayContent(bytes);
                foreach (var header in response.Content.Headers) replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
                response.Content = replacement;
                span.SetMetadata("http_status", (int)response.StatusCode);
                if (!response.IsSuccessStatusCode)
                {
                    span.SetOutput(new JsonObject { ["error"] = Encoding.UTF8.GetString(bytes) });
                    span.SetStatus(SpanStatus.Error, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                    return;
                }
                using var doc = JsonDocument.Parse(bytes);
                var output = owner._provider == LlmProvider.OpenAI ? LlmRecord.FromOpenAIResponse(doc.RootElement) : LlmRecord.FromAnthropicResponse(doc.RootElement);
                ApplyOutput(output);
            }
            catch (Exception e)
            {
                owner._client.Logger.LogDebug(e, "Vigil could not record an LLM response");
            }
            finally
            {
                span.End();
            }
        }

        private void ApplyOutput(JsonObject output)
        {
            span.SetOutput(output);
            span.SetModel(output["model"]?.GetValue<string>());
            if (output["usage"] is JsonObject usage)
            {
                span.SetUsage(usage["prompt_tokens"]?.GetValue<long?>(), usage["completion_tokens"]?.GetValue<long?>());
            }
        }

        public void WrapStream(HttpResponseMessage response) => response.Content = new TeeContent(response.Content, this);

        // --- streaming: server-sent events are parsed as the caller reads them ---

        public void Feed(ReadOnlySpan<byte> data)
        {
            try
            {
                foreach (var b in data)
                {
                    if (b == (byte)'\n')
                    {
                        OnLine(_line.GetBuffer().AsSpan(0, (int)_line.Length));
                        _line.SetLength(0);
                    }
                    else
                    {
                        _line.WriteByte(b);
                    }
                }
            }
            catch (Exception e)
            {
                owner._client.Logger.LogDebug(e, "Vigil could not parse an LLM stream event");
            }
        }

        private void OnLine(ReadOnlySpan<byte> line)
        {
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            if (!line.StartsWith("data:"u8)) return;
            var payload = line[5..].TrimStart((byte)' ');
            if (payload.SequenceEqual("[DONE]"u8) || payload.IsEmpty) return;
            using var doc = JsonDocument.Parse(payload.ToArray());
            var root = doc.RootElement;
            if (owner._provider == LlmProvider.OpenAI) OnOpenAIChunk(root);
            else OnAnthropicEvent(root);
        }

        private void OnOpenAIChunk(JsonElement root)
        {
            _model ??= LlmRecord.Str(root, "model");
            if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
            {
                foreach (var choice in choices.EnumerateArray())
                {
                    if (choice.TryGetProperty("delta", out var delta) && LlmRecord.Str(delta, "content") is { Length: > 0 } text)
                    {
                        Token(text);
                    }
                    _finish = LlmRecord.Str(choice, "finish_reason") ?? _finish;
                }
            }
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                _inTokens = LlmRecord.Long(usage, "prompt_tokens");
                _outTokens = LlmRecord.Long(usage, "completion_tokens");
                _totalTokens = LlmRecord.Long(usage, "total_tokens");
            }
        }

        private void OnAnthropicEvent(JsonElement root)
        {
            switch (LlmRecord.Str(root, "type"))
            {
                case "message_start" when root.TryGetProperty("message", out var message):
                    _model = LlmRecord.Str(message, "model") ?? _model;
                    if (message.TryGetProperty("usage", out var u)) _inTokens = LlmRecord.Long(u, "input_tokens") ?? _inTokens;
                    break;
                case "content_block_delta" when root.TryGetProperty("delta", out var delta):
                    if (LlmRecord.Str(delta, "text") is { Length: > 0 } text) Token(text);
                    break;
                case "message_delta":
                    if (root.TryGetProperty("delta", out var d)) _finish = LlmRecord.Str(d, "stop_reason") ?? _finish;
                    if (root.TryGetProperty("usage", out var usage))
                    {
                        _outTokens = LlmRecord.Long(usage, "output_tokens") ?? _outTokens;
                        _inTokens = LlmRecord.Long(usage, "input_tokens") ?? _inTokens;
                    }
                    break;
            }
        }

        private void Token(string text)
        {
            if (!_firstToken)
            {
                _firstToken = true;
                var ms = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
                span.AddEvent("first_token", new Dictionary<string, object?> { ["time_to_first_token_ms"] = ms });
                span.SetMetadata("time_to_first_token_ms", ms);
            }
            _content.Append(text);
        }

        public void StreamEnded(bool complete)
        {
            if (span.IsEnded) return;
            try
            {
                if (_line.Length > 0) { OnLine(_line.GetBuffer().AsSpan(0, (int)_line.Length)); _line.SetLength(0); }
                if (!complete) span.SetMetadata("stream_incomplete", true);
                ApplyOutput(LlmRecord.Output(_content.ToString(), _model, _finish, _inTokens, _outTokens, _totalTokens));
            }
            catch (Exception e)
            {
                owner._client.Logger.LogDebug(e, "Vigil could not record an LLM stream");
            }
            finally
            {
                span.End();
            }
        }
    }

    /// <summary>Response content that lets the caller read the stream unchanged while the call records it.</summary>
    private sealed class TeeContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly LlmCall _call;

        public TeeContent(HttpContent inner, LlmCall call)
        {
            _inner = inner;
            _call = call;
            foreach (var header in inner.Headers) Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        protected override async Task<Stream> CreateContentReadStreamAsync() => new TeeStream(await _inner.ReadAsStreamAsync().ConfigureAwait(false), _call);
        protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => new TeeStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _call);
        protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => new TeeStream(_inner.ReadAsStream(cancellationToken), _call);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await using var source = new TeeStream(await _inner.ReadAsStreamAsync().ConfigureAwait(false), _call);
            await source.CopyToAsync(stream).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _call.StreamEnded(complete: false);
                _inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    private sealed class TeeStream(Stream inner, LlmCall call) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            Observe(buffer[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Observe(buffer.Span[..n]);
            return n;
        }

        private void Observe(ReadOnlySpan<byte> data)
        {
            if (data.IsEmpty) call.StreamEnded(complete: true);
            else call.Feed(data);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                call.StreamEnded(complete: false);
                inner.Dispose();
            }
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
