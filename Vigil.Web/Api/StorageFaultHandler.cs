using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Vigil.Core.Storage;

namespace Vigil.Web.Api;

/// <summary>
/// Any endpoint whose write meets a storage fault (the database is full, locked, read-only) answers 503 with Retry-After
/// and a problem body saying so, instead of 500: the request did nothing and can be retried. Readiness learns of it too.
/// </summary>
public sealed class StorageFaultHandler(StorageHealth storage) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (storage.Record(exception) is not { } fault || http.Response.HasStarted) return false;
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(fault.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await ApiProblems.Status(503, "Service unavailable", $"Nothing was changed: {fault.Summary}; retry later.").ExecuteAsync(http);
        return true;
    }
}
