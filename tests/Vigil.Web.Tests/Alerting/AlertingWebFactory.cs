using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Alerting;

/// <summary>
/// Vigil with the admin automation key, monitors evaluated only when a test says so (the scheduler's interval is an hour),
/// and a sender that polls and retries within fractions of a second, so outages of seconds show what minutes would.
/// </summary>
public sealed class AlertingWebFactory : VigilWebFactory
{
    public const string AdminApiKey = "vgl_admin_automation_key_for_alerting_tests";

    public AlertingWebFactory()
    {
        With("Vigil:Init:AdminApiKey", AdminApiKey);
        With("Vigil:Alerting:EvaluationIntervalSeconds", "3600");
        With("Vigil:Alerting:PollSeconds", "0.2");
        With("Vigil:Alerting:RetryBaseSeconds", "0.1");
        With("Vigil:Alerting:RetryMaxSeconds", "0.5");
        With("Vigil:Alerting:DashboardUrl", "https://vigil.example.test");
        With("Vigil:RateLimits:Enabled", "false");
    }

    public HttpClient Admin() => ClientWithKey(AdminApiKey);
}
