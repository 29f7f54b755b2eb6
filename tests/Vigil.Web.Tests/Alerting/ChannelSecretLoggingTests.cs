using System.Net;
using System.Net.Http.Json;
using Vigil.Tests.Fakes;
using Vigil.Web.Tests.Infrastructure;
using Vigil.Web.Tests.Replay;

namespace Vigil.Web.Tests.Alerting;

/// <summary>A channel's URL path (a Slack or Teams URL is a credential) and a webhook's secret never reach a log line, at any level.</summary>
public sealed class ChannelSecretLoggingTests : IAsyncLifetime
{
    private const string AdminKey = "vgl_admin_key_for_channel_logging_tests";
    private readonly CapturingWebFactory _factory = new();
    private AlertReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        _factory.With("Vigil:Init:AdminApiKey", AdminKey).With("Vigil:Alerting:PollSeconds", "0.1")
            .With("Vigil:Alerting:RetryBaseSeconds", "0.1").With("Vigil:Alerting:RetryMaxSeconds", "0.2");
        _receiver = await AlertReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Sending_failing_and_retrying_leave_no_url_path_or_secret_in_the_logs()
    {
        const string path = "/services/T0SECRET/B0SECRET/xoxSECRETTOKEN";
        var answers = 0;
        _receiver.Answer = _ => Interlocked.Increment(ref answers) <= 2 ? 503 : 200;
        var admin = _factory.ClientWithKey(AdminKey);
        var created = await admin.PostAsJsonAsync("/v1/channels", new { project_id = VigilWebFactory.ProjectId, name = "hook", type = "webhook", url = _receiver.Url + path });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var json = await created.JsonAsync();
        var (id, secret) = (json.GetProperty("id").GetInt64(), json.GetProperty("secret").GetString()!);

        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/v1/channels/{id}/test", null)).StatusCode);
        await _receiver.WaitAsync(r => r.Any(x => x.Status == 200), what: "the test after two 503s");
        // The sender logs the success once it has stored it, a moment after the receiver answered.
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!_factory.Logs.Any(l => l.Contains("succeeded")) && DateTime.UtcNow < until) await Task.Delay(50);

        var logs = string.Join("\n", _factory.Logs);
        Assert.Contains("will be retried", logs); // the capture works and saw the failures
        Assert.Contains("succeeded", logs);
        foreach (var leak in new[] { "SECRET", secret })
            Assert.DoesNotContain(leak, logs);
        Assert.Equal(path, _receiver.Requests.First().Path); // it did go to that URL
    }
}
