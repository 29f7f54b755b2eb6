using System.Net.Http.Headers;

namespace Vigil.Sdk.Export;

/// <summary>POSTs native JSON batches to <c>{Endpoint}/v1/traces</c> and scores to <c>{Endpoint}/v1/scores</c>.</summary>
internal sealed class HttpTransport : IVigilTransport
{
    private const int MaxDetailChars = 4096;
    private readonly HttpClient _http;
    private readonly Uri _uri;
    private readonly Uri _scoresUri;
    private readonly TimeSpan _timeout;

    public HttpTransport(VigilOptions options)
    {
        _http = new HttpClient(options.HttpHandler ?? new SocketsHttpHandler
        {
            // Picks up DNS changes of the server on long-running apps.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            // Each attempt has its own timeout below; the HttpClient-wide one would also cut retries.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("vigil-dotnet", typeof(HttpTransport).Assembly.GetName().Version?.ToString(3) ?? "0"));
        foreach (var (name, value) in options.Headers)
        {
            _http.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }
        _uri = new Uri(options.Endpoint!.TrimEnd('/') + "/v1/traces");
        _scoresUri = new Uri(options.Endpoint!.TrimEnd('/') + "/v1/scores");
        _timeout = options.Timeout;
    }

    public Task<TransportResult> SendAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) => PostAsync(_uri, body, cancellationToken);

    public Task<TransportResult> SendScoreAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) => PostAsync(_scoresUri, body, cancellationToken);

    private async Task<TransportResult> PostAsync(Uri uri, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(_timeout);
        try
        {
            using var content = new ReadOnlyMemoryContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(uri, content, attempt.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new TransportResult(status);
            }
            string? detail = null;
            try
            {
                detail = await response.Content.ReadAsStringAsync(attempt.Token).ConfigureAwait(false);
                if (detail.Length > MaxDetailChars) detail = detail[..MaxDetailChars];
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The status code alone is enough to decide what to do.
            }
            return new TransportResult(status, RetryAfter(response), detail);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TransportResult(0, null, $"timed out after {_timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            return new TransportResult(0, null, e.Message);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header is null) return null;
        if (header.Delta is { } delta) return delta;
        if (header.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    public void Dispose() => _http.Dispose();
}
