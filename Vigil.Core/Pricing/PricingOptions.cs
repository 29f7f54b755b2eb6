namespace Vigil.Core.Pricing;

/// <summary>Bound from <c>Vigil:Pricing</c>: extra or overriding model prices (USD per 1M tokens).</summary>
public sealed class PricingOptions
{
    public const string Section = "Vigil:Pricing";

    public Dictionary<string, ModelPriceOption> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class ModelPriceOption
{
    public double Input { get; set; }
    public double Output { get; set; }
    public string? Provider { get; set; }
}
