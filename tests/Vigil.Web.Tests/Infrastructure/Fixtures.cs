using System.Net.Http.Json;
using System.Text;

namespace Vigil.Web.Tests.Infrastructure;

public static class Fixtures
{
    public static string Read(string relative) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", relative));

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostTracesAsync(this HttpClient client, string json) =>
        client.PostAsync("/v1/traces", Json(json));

    public static async Task<System.Text.Json.JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
}
