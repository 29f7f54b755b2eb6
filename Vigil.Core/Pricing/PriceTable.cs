using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Pricing;

/// <summary>
/// The model price table: the shipped data file plus configured overrides. A dated snapshot name
/// ("gpt-4o-2024-08-06") resolves to its longest listed prefix ("gpt-4o").
/// </summary>
public sealed class PriceTable
{
    private readonly Dictionary<string, ModelPrice> _prices;
    private readonly string[] _byLengthDesc;

    public PriceTable(IOptions<PricingOptions> options) : this(LoadShipped(), options.Value) { }

    public PriceTable(IReadOnlyDictionary<string, ModelPrice> shipped, PricingOptions? overrides = null)
    {
        _prices = new Dictionary<string, ModelPrice>(shipped, StringComparer.OrdinalIgnoreCase);
        if (overrides is not null)
            foreach (var (name, p) in overrides.Models)
                _prices[name] = new ModelPrice(p.Input, p.Output, p.Provider);
        _byLengthDesc = _prices.Keys.OrderByDescending(k => k.Length).ToArray();
    }

    public static PriceTable Default { get; } = new(LoadShipped());

    public IReadOnlyDictionary<string, ModelPrice> Models => _prices;

    public ModelPrice? Find(string? model)
    {
        if (string.IsNullOrEmpty(model)) return null;
        if (_prices.TryGetValue(model, out var exact)) return exact;
        // Provider-qualified names such as "openai/gpt-4o" or "models/gpt-4o".
        var slash = model.LastIndexOf('/');
        if (slash >= 0 && slash < model.Length - 1) return Find(model[(slash + 1)..]);
        foreach (var key in _byLengthDesc)
            if (model.StartsWith(key, StringComparison.OrdinalIgnoreCase) && model.Length > key.Length && model[key.Length] is '-' or '@' or ':')
                return _prices[key];
        return null;
    }

    public double? Cost(string? model, long? inputTokens, long? outputTokens)
    {
        if (inputTokens is null && outputTokens is null) return null;
        return Find(model)?.Cost(inputTokens ?? 0, outputTokens ?? 0);
    }

    public static IReadOnlyDictionary<string, ModelPrice> LoadShipped()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream("Vigil.Core.Pricing.model-prices.json")
            ?? throw new InvalidOperationException("The embedded model price table is missing.");
        using var doc = JsonDocument.Parse(stream);
        var result = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in doc.RootElement.GetProperty("models").EnumerateObject())
        {
            var provider = m.Value.TryGetProperty("provider", out var p) ? p.GetString() : null;
            result[m.Name] = new ModelPrice(m.Value.GetProperty("input").GetDouble(), m.Value.GetProperty("output").GetDouble(), provider);
        }
        return result;
    }
}
