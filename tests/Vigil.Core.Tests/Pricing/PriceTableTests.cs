using Vigil.Core.Pricing;

namespace Vigil.Core.Tests.Pricing;

public class PriceTableTests
{
    [Theory]
    [InlineData("gpt-4o", 2.50, 10.00)]
    [InlineData("gpt-4o-2024-08-06", 2.50, 10.00)]
    [InlineData("gpt-4o-mini-2024-07-18", 0.15, 0.60)]
    [InlineData("claude-3-5-sonnet-20241022", 3.00, 15.00)]
    [InlineData("claude-sonnet-4-5-20250929", 3.00, 15.00)]
    [InlineData("openai/gpt-4.1-mini", 0.40, 1.60)]
    public void Resolves_snapshots_to_listed_models(string model, double input, double output)
    {
        var price = PriceTable.Default.Find(model);
        Assert.NotNull(price);
        Assert.Equal((input, output), (price.Input, price.Output));
    }

    [Fact]
    public void Unknown_model_has_no_price() => Assert.Null(PriceTable.Default.Cost("my-local-llama", 10, 10));

    [Fact]
    public void Cost_is_per_million_tokens() =>
        Assert.Equal(1200 * 0.15 / 1e6 + 300 * 0.60 / 1e6, PriceTable.Default.Cost("gpt-4o-mini", 1200, 300)!.Value, 12);

    [Fact]
    public void Configuration_extends_and_overrides()
    {
        var options = new PricingOptions();
        options.Models["my-model"] = new ModelPriceOption { Input = 1, Output = 2 };
        options.Models["gpt-4o"] = new ModelPriceOption { Input = 100, Output = 100 };
        var table = new PriceTable(PriceTable.LoadShipped(), options);
        Assert.Equal(3e-6, table.Cost("my-model", 1, 1)!.Value, 12);
        Assert.Equal(100, table.Find("gpt-4o-2024-05-13")!.Input);
    }
}
