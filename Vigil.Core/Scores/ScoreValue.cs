using System.Globalization;

namespace Vigil.Core.Scores;

/// <summary>A stored score's value as sent: a double, a bool or a string.</summary>
public static class ScoreValue
{
    public static object? Of(ScoreRecord s) => s.DataType switch
    {
        ScoreDataType.Boolean => s.Value is > 0,
        ScoreDataType.Categorical => s.StringValue,
        _ => s.Value,
    };

    /// <summary>For people: 0.87, true/false, or the category; a numeric score's label follows it.</summary>
    public static string Text(ScoreRecord s) => s.DataType switch
    {
        ScoreDataType.Boolean => s.Value is > 0 ? "true" : "false",
        ScoreDataType.Categorical => s.StringValue ?? "",
        _ => (s.Value ?? 0).ToString("0.###", CultureInfo.InvariantCulture) + (s.StringValue is { Length: > 0 } label ? $" ({label})" : ""),
    };
}
