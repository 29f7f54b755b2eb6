namespace Vigil.Sdk.Export;

/// <summary>Sends one serialized batch. Swappable so tests and benchmarks can avoid the network.</summary>
internal interface IVigilTransport : IDisposable
{
    Task<TransportResult> SendAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    /// <summary>Sends one score (<c>POST /v1/scores</c>).</summary>
    Task<TransportResult> SendScoreAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

/// <summary>Outcome of one attempt. <see cref="StatusCode"/> 0 means the request never got an answer.</summary>
internal readonly record struct TransportResult(int StatusCode, TimeSpan? RetryAfter = null, string? Detail = null)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>Network errors, timeouts, 408, 429 and 5xx are worth another try; other 4xx are not.</summary>
    public bool IsRetryable => StatusCode is 0 or 408 or 429 or >= 500;
}
