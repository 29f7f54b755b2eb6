using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Replay;

/// <summary>Small helpers over the replay endpoints.</summary>
public static class ReplayApi
{
    public static Task<HttpResponseMessage> EstimateAsync(this HttpClient client, string traceId, string mutationsJson = "{}") =>
        client.PostAsync($"/v1/traces/{traceId}/replay", Fixtures.Json($$"""{"mutations": {{mutationsJson}}}"""));

    public static async Task<JsonElement> WaitForEndAsync(this HttpClient client, string traceId, string runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/v1/traces/{traceId}/replay/{runId}");
            if (run.GetProperty("status").GetString() is "completed" or "failed" or "cancelled") return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Replay {runId} is still {run.GetProperty("status")}.");
            await Task.Delay(25);
        }
    }
}
