using System.Globalization;

namespace Vigil.Core.Metrics;

/// <summary>A time-bucket width written as a number and a unit: 30s, 5m, 1h, 1d.</summary>
public static class MetricsBucket
{
    public static bool TryParse(string? text, out TimeSpan width)
    {
        width = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2) return false;
        if (!int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0) return false;
        width = char.ToLowerInvariant(text[^1]) switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => TimeSpan.Zero,
        };
        return width > TimeSpan.Zero;
    }

    /// <summary>A bucket that gives a chart about 24–100 points over the range.</summary>
    public static string Suggest(TimeSpan range) => range.TotalHours switch
    {
        <= 2 => "1m",
        <= 8 => "5m",
        <= 48 => "1h",
        <= 24 * 14 => "6h",
        _ => "1d",
    };
}
