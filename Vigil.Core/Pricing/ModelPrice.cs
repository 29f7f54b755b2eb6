namespace Vigil.Core.Pricing;

/// <summary>USD per one million tokens.</summary>
public sealed record ModelPrice(double Input, double Output, string? Provider = null)
{
    public double Cost(long inputTokens, long outputTokens) => (inputTokens * Input + outputTokens * Output) / 1_000_000d;
}
