using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Storage;
using Vigil.Tests;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Replay;

/// <summary>A project's provider key: stored encrypted, used for calls, never answered, logged or rendered.</summary>
public class ProviderKeyTests(ReplayWebFixture fixture) : IClassFixture<ReplayWebFixture>
{
    private const string SecretKey = "sk-live-SECRET-4242-do-not-leak";
    private const string OpenAiTrace = "9f0c6f2e-0d1c-4a8e-9a51-6e7d2f3a0001";

    [Fact]
    public async Task A_stored_key_is_used_but_never_answered_logged_or_readable_in_the_database()
    {
        var client = fixture.Factory.ClientWithKey();
        var answers = new StringBuilder();

        var put = await client.PutAsync($"/v1/projects/{VigilWebFactory.ProjectId}/providers",
            Fixtures.Json($$$"""{"openai": {"base_url": "{{{fixture.Fake.OpenAiBaseUrl}}}", "api_key": "{{{SecretKey}}}"}}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var status = await put.JsonAsync();
        answers.Append(status.ToString());
        Assert.True(status.GetProperty("openai").GetProperty("configured").GetBoolean());
        Assert.Equal("project", status.GetProperty("openai").GetProperty("key_source").GetString());
        Assert.Equal("config", status.GetProperty("anthropic").GetProperty("key_source").GetString());

        await client.PostTracesAsync(Fixtures.Read("native/python-sdk-openai.json"));
        var estimate = await client.EstimateAsync(OpenAiTrace);
        answers.Append(await estimate.Content.ReadAsStringAsync());
        var runId = (await estimate.JsonAsync()).GetProperty("replay_run_id").GetString()!;
        answers.Append(await (await client.PostAsync($"/v1/traces/{OpenAiTrace}/replay/{runId}/confirm", null)).Content.ReadAsStringAsync());
        var run = await client.WaitForEndAsync(OpenAiTrace, runId);
        Assert.Equal("completed", run.GetProperty("status").GetString());

        // The project's key won over the configured one.
        Assert.Contains(fixture.Fake.OpenAiRequests, r => r.Authorization == $"Bearer {SecretKey}");

        foreach (var path in new[]
                 {
                     $"/v1/projects/{VigilWebFactory.ProjectId}/providers", $"/v1/projects/{VigilWebFactory.ProjectId}", "/v1/projects",
                     $"/v1/traces/{OpenAiTrace}/replay/{runId}", $"/v1/traces/{OpenAiTrace}/replay/{runId}/diff", "/v1/replays",
                     $"/v1/traces/{run.GetProperty("result_trace_id").GetString()}", "/", "/replays", $"/replays/{runId}", "/settings",
                 })
            answers.Append(await client.GetStringAsync(path));
        Assert.DoesNotContain(SecretKey, answers.ToString());
        Assert.DoesNotContain(SecretKey, string.Join("\n", fixture.Factory.Logs));

        if (TestStorage.IsPostgres)
        {
            // Unreadable at rest: no column of the project row holds the plain key; the key ring lives in the database,
            // where every instance finds it.
            await using var db = await fixture.Factory.Get<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync();
            var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == VigilWebFactory.ProjectId);
            Assert.NotNull(project.OpenAiKeyProtected);
            Assert.DoesNotContain(SecretKey, System.Text.Json.JsonSerializer.Serialize(project));
            Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
            return;
        }
        // Unreadable at rest: neither the database nor its WAL holds the plain key.
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(fixture.Factory.DbPath)!, "vigil.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory);
            var bytes = memory.ToArray();
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(SecretKey)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(SecretKey)));
        }
        // The Data Protection key ring is persisted next to the database, so a restart can still decrypt.
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Path.GetDirectoryName(fixture.Factory.DbPath)!, "keys"), "*.xml"));
    }

    [Fact]
    public async Task Provider_settings_are_scoped_and_validated()
    {
        var client = fixture.Factory.ClientWithKey();
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync("/v1/projects/someone-else/providers",
            Fixtures.Json("""{"openai": {"api_key": "x"}}"""))).StatusCode);
        var bad = await client.PutAsync($"/v1/projects/{VigilWebFactory.ProjectId}/providers", Fixtures.Json("""{"anthropic": {"base_url": "not a url"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.JsonAsync()).GetProperty("errors").TryGetProperty("anthropic.base_url", out _));
        var get = await client.GetFromJsonAsync<JsonElement>($"/v1/projects/{VigilWebFactory.ProjectId}/providers");
        Assert.True(get.GetProperty("anthropic").GetProperty("configured").GetBoolean());
    }
}
