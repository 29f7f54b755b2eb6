namespace Vigil.Core.Scores;

/// <summary>What kind of value a score holds.</summary>
public static class ScoreDataType
{
    public const string Numeric = "numeric";
    public const string Boolean = "boolean";
    public const string Categorical = "categorical";

    public static readonly IReadOnlyList<string> All = [Numeric, Boolean, Categorical];
}
