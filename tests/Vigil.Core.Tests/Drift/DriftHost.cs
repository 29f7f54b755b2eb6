using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Drift;

namespace Vigil.Core.Tests.Drift;

/// <summary>A Core host with drift registered and a fake clock at a fixed instant.</summary>
internal static class DriftHost
{
    public static readonly DateTimeOffset Now = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);

    public static async Task<(CoreTestHost Host, FakeTimeProvider Time)> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var time = new FakeTimeProvider(Now);
        var host = await CoreTestHost.StartAsync(extra, configure: (s, config) =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddVigilDrift(config);
        });
        return (host, time);
    }
}
