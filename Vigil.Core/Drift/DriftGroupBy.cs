namespace Vigil.Core.Drift;

/// <summary>How spans are grouped before their distributions are compared. Stored as <c>kind</c> | <c>kind_name</c> | <c>kind_model</c>.</summary>
public enum DriftGroupBy
{
    Kind,
    KindName,
    KindModel,
}

public static class DriftGroupByNames
{
    public const string Kind = "kind";
    public const string KindName = "kind_name";
    public const string KindModel = "kind_model";

    public static string ToName(this DriftGroupBy g) => g switch
    {
        DriftGroupBy.KindName => KindName,
        DriftGroupBy.KindModel => KindModel,
        _ => Kind,
    };

    public static DriftGroupBy? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        Kind => DriftGroupBy.Kind,
        KindName or "kindname" => DriftGroupBy.KindName,
        KindModel or "kindmodel" => DriftGroupBy.KindModel,
        _ => null,
    };
}
