using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vigil.Core.Drift;

namespace Vigil.Core.Tests.Drift;

public class DriftOptionsTests
{
    private static DriftOptions Bind(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var sp = new ServiceCollection().AddLogging().AddVigilDrift(config).BuildServiceProvider();
        return sp.GetRequiredService<IOptions<DriftOptions>>().Value;
    }

    [Fact]
    public void Defaults_match_the_design()
    {
        var o = Bind([]);
        Assert.Equal((true, 60, 24, 1, 10, 5), (o.Enabled, o.IntervalMinutes, o.BaselineHours, o.CurrentHours, o.MinBaselineSamples, o.MinCurrentSamples));
        Assert.Equal((DriftBinning.Quantile, DriftGroupBy.Kind), (o.Binning, o.GroupBy));
    }

    [Fact]
    public void Binning_and_grouping_bind_from_configuration()
    {
        var o = Bind(new() { ["Vigil:Drift:Binning"] = "EqualWidth", ["Vigil:Drift:GroupBy"] = "KindModel", ["Vigil:Drift:IntervalMinutes"] = "15" });
        Assert.Equal((DriftBinning.EqualWidth, DriftGroupBy.KindModel, 15), (o.Binning, o.GroupBy, o.IntervalMinutes));
    }

    [Fact]
    public void An_out_of_range_setting_fails_validation_and_names_it()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Vigil:Drift:IntervalMinutes"] = "0" }));
        Assert.Contains("IntervalMinutes", ex.Message);
    }

    [Fact]
    public void An_unknown_binning_fails_and_names_the_key()
    {
        var ex = Assert.ThrowsAny<Exception>(() => Bind(new() { ["Vigil:Drift:Binning"] = "Fancy" }));
        Assert.Contains("Vigil:Drift:Binning", ex.ToString());
    }
}
