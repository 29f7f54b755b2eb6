using System.Globalization;

namespace Vigil.Sdk.Tracing;

/// <summary>A score recorded on a span (<see cref="VigilSpan.Score"/>): value is a double, a bool or a string.</summary>
internal sealed record SpanScore(string Name, object Value, string? Comment)
{
    /// <summary>Numbers become doubles; bools and non-empty strings stay; anything else (and NaN or infinity) is null.</summary>
    public static object? Normalize(object? value) => value switch
    {
        bool b => b,
        string s when s.Length > 0 => s,
        double d => double.IsFinite(d) ? d : null,
        float f => double.IsFinite(f) ? (double)f : null,
        decimal m => (double)m,
        IConvertible c when c.GetTypeCode() is >= TypeCode.SByte and <= TypeCode.UInt64 => c.ToDouble(CultureInfo.InvariantCulture),
        _ => null,
    };
}
