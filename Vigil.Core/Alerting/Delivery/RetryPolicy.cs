using System.Net;
using System.Net.Http.Headers;

namespace Vigil.Core.Alerting.Delivery;

/// <summary>
/// When to try again: exponential backoff from <see cref="AlertingOptions.RetryBaseSeconds"/> doubling up to
/// <see cref="AlertingOptions.RetryMaxSeconds"/>, or the receiver's <c>Retry-After</c> (seconds or a date) when it sends one,
/// capped by the same maximum. Only transient failures are retried: no answer, 408, 425, 429 and 5xx.
/// </summary>
public static class RetryPolicy
{
    public static bool IsTransient(int? statusCode) => statusCode is null or 408 or 425 or 429 or >= 500;

    public static TimeSpan Delay(int attempts, TimeSpan? retryAfter, AlertingOptions o)
    {
        var max = TimeSpan.FromSeconds(o.RetryMaxSeconds);
        if (retryAfter is { } ra) return ra < TimeSpan.Zero ? TimeSpan.Zero : ra > max ? max : ra;
        // attempts = failures so far (1 after the first): base, 2·base, 4·base, …
        var seconds = o.RetryBaseSeconds * Math.Pow(2, Math.Clamp(attempts - 1, 0, 40));
        return seconds >= o.RetryMaxSeconds ? max : TimeSpan.FromSeconds(seconds);
    }

    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - now,
        _ => null,
    };

    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) =>
        response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout
            ? RetryAfter(response.Headers.RetryAfter, now)
            : null;
}
