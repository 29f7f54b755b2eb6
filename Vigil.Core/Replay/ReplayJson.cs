using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Core.Replay;

/// <summary>How replay documents (diffs, config) are stored: the API's snake_case, so the API can pass them through.</summary>
public static class ReplayJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string SerializeDiffs(IReadOnlyList<SpanDiff> diffs) => JsonSerializer.Serialize(diffs, Options);

    public static List<SpanDiff> DeserializeDiffs(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<SpanDiff>>(json, Options) ?? [];
}
