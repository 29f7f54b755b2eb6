using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vigil.Core.Alerting;

namespace Vigil.Core.Tests.Alerting;

public class AlertingOptionsTests
{
    private static AlertingOptions Resolve(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var sp = new ServiceCollection().AddLogging().AddVigilAlerting(config).BuildServiceProvider();
        return sp.GetRequiredService<IOptions<AlertingOptions>>().Value;
    }

    [Theory]
    [InlineData("Vigil:Alerting:RetryMaxSeconds", "1", "RetryMaxSeconds")]
    [InlineData("Vigil:Alerting:DashboardUrl", "vigil.local", "DashboardUrl")]
    [InlineData("Vigil:Alerting:Hysteresis", "0", "Hysteresis")]
    [InlineData("Vigil:Alerting:EvaluationIntervalSeconds", "0", "EvaluationIntervalSeconds")]
    public void A_bad_setting_is_refused_naming_it(string key, string value, string named)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));
        Assert.Contains(named, ex.Message);
    }

    [Fact]
    public void The_defaults_are_a_minute_two_evaluations_and_a_day_of_retries()
    {
        var o = Resolve([]);
        Assert.Equal((60, 2, 24, 10, 1800), (o.EvaluationIntervalSeconds, o.Hysteresis, o.RetryForHours, o.RetryBaseSeconds, o.RetryMaxSeconds));
    }
}
