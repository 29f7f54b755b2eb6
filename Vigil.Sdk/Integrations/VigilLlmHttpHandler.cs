using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Vigil.Sdk.Integrations;

/// <summary>
/// An <see cref="HttpMessageHandler"/> that records every LLM call of a provider's HTTP API as an llm span: the input is
/// the request as sent (so replay can re-run it), the output the answer, streamed or not. Working at the HTTP layer covers
/// sync, async and streaming calls of a client with one piece of code and records exactly what went over the wire. What
/// is an LLM call and how its JSON reads is the <see cref="LlmWireFormat"/>'s (the OpenAI and Anthropic ones ship in
/// <c>Vigil.Sdk.OpenAI</c> and <c>Vigil.Sdk.Anthropic</c>). Recording problems are logged, never thrown.
/// </summary>
public sealed class VigilLlmHttpHandler : DelegatingHandler
{
    private readonly VigilClient _client;
    private readonly LlmWireFormat _format;

    public VigilLlmHttpHandler(VigilClient client, LlmWireFormat format)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _format = format ?? throw new ArgumentNullException(nameof(format));
    }

    public VigilLlmHttpHandler(VigilClient client, LlmWireFormat format, HttpMessageHandler innerHandler)
        : this(client, format) => InnerHandler = innerHandler;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendCoreAsync(request, async: true, cancellationToken).AsTask();

    /// <summary>The synchronous send (the OpenAI client's sync methods) runs the same code, completing synchronously.</summary>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var send = SendCoreAsync(request, async: false, cancellationToken);
        Debug.Assert(send.IsCompleted, "The synchronous path never awaits anything incomplete.");
        return send.GetAwaiter().GetResult();
    }

    private async ValueTask<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, bool async, CancellationToken ct)
    {
        if (request.Content is null || !_format.IsLlmCall(request))
            return async ? await base.SendAsync(request, ct).ConfigureAwait(false) : base.Send(request, ct);

        byte[]? body = null;
        try
        {
            body = await ReadAsync(request.Content, async, ct).ConfigureAwait(false);
            // The client's content may be single-use; give it back a buffered copy.
            var replacement = new ByteArrayContent(body);
            foreach (var header in request.Content.Headers) replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
            request.Content = replacement;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _client.Logger.LogDebug(e, "Vigil could not read the LLM request body");
        }

        var call = LlmCall.Begin(_client, _format, body);
        HttpResponseMessage response;
        try
        {
            response = async ? await base.SendAsync(request, ct).ConfigureAwait(false) : base.Send(request, ct);
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
        call.Complete(response, await ReadAsync(response.Content, async, ct).ConfigureAwait(false));
        return response;
    }

    private static async ValueTask<byte[]> ReadAsync(HttpContent content, bool async, CancellationToken ct)
    {
        if (async) return await content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        using var stream = content.ReadAsStream(ct);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
