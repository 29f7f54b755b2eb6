using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Core.Drift;

/// <summary>What <see cref="DriftAlert.Histogram"/> holds: the bins of the last measurement, for the distribution chart.</summary>
public sealed record DriftHistogram(
    [property: JsonPropertyName("binning")] string Binning,
    [property: JsonPropertyName("edges")] double[] Edges,
    [property: JsonPropertyName("baseline")] double[] Baseline,
    [property: JsonPropertyName("current")] double[] Current)
{
    public static DriftHistogram From(PsiResult r, string binning) => new(binning, r.Edges, r.BaselineShares, r.CurrentShares);

    public string ToJson() => JsonSerializer.Serialize(this);

    public static DriftHistogram? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try { return JsonSerializer.Deserialize<DriftHistogram>(json); }
        catch (JsonException) { return null; }
    }
}
