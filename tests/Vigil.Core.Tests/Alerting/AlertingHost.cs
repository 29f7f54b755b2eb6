using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Alerting;
using Vigil.Core.Drift;
using Vigil.Core.Replay;

namespace Vigil.Core.Tests.Alerting;

/// <summary>
/// Core with drift and alerting over a real SQLite file, a fake clock, and the real ASP.NET Core Data Protection (an
/// ephemeral key ring) behind the protector the host would provide. Hosted services do not run: tests call the evaluator
/// and the sender's passes directly, or start the scheduler themselves.
/// </summary>
internal static class AlertingHost
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static async Task<(CoreTestHost Host, FakeTimeProvider Time)> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var time = new FakeTimeProvider(Now);
        var settings = new Dictionary<string, string?>
        {
            ["Vigil:Alerting:RetryBaseSeconds"] = "10",
            ["Vigil:Alerting:RetryMaxSeconds"] = "300",
            ["Vigil:Alerting:DashboardUrl"] = "https://vigil.example.test",
        };
        if (extra is not null) foreach (var (k, v) in extra) settings[k] = v;
        var host = await CoreTestHost.StartAsync(settings, configure: (s, config) =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
            s.AddSingleton<IProviderKeyProtector, DataProtectionProtector>();
            s.AddVigilDrift(config);
            s.AddVigilAlerting(config);
        });
        return (host, time);
    }

    /// <summary>What Vigil.Web registers (DataProtectionKeyProtector), over the real Data Protection stack.</summary>
    private sealed class DataProtectionProtector(IDataProtectionProvider provider) : IProviderKeyProtector
    {
        private readonly IDataProtector _protector = provider.CreateProtector("Vigil.Tests.Alerting");
        public string Protect(string plaintext) => _protector.Protect(plaintext);
        public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
    }
}
