using System.Text.Json;
using Vigil.Core.Scores;
using Vigil.Core.Storage;

namespace Vigil.Web.Scores;

/// <summary>A score as the API answers it; <see cref="Value"/> is a number, a boolean or a category string.</summary>
public sealed record ScoreDto(long Id, string TraceId, string? SpanId, string Name, object? Value, string DataType, string? Label,
    string? Comment, string Source, string? Author, DateTime CreatedAt)
{
    public static ScoreDto From(ScoreRecord s) => new(s.Id, s.TraceId, s.SpanId, s.Name, ScoreValue.Of(s), s.DataType,
        s.DataType == ScoreDataType.Numeric ? s.StringValue : null, s.Comment, s.Source, s.Author, UnixMicros.ToDateTime(s.CreatedAtUs));
}

/// <summary>POST /v1/scores: value is a number, true/false, or a category string; source defaults to api.</summary>
public sealed record ScoreRequest(string? TraceId, string? SpanId, string? Name, JsonElement? Value, string? Comment, string? Source, DateTimeOffset? CreatedAt)
{
    /// <summary>The transport-neutral input, or the reason the value's JSON type is not a score's.</summary>
    public ScoreInput ToInput(out string? valueProblem)
    {
        valueProblem = null;
        object? value = null;
        switch (Value?.ValueKind)
        {
            case JsonValueKind.Number: value = Value.Value.GetDouble(); break;
            case JsonValueKind.True: value = true; break;
            case JsonValueKind.False: value = false; break;
            case JsonValueKind.String: value = Value.Value.GetString(); break;
            case null or JsonValueKind.Null or JsonValueKind.Undefined: break;
            default: valueProblem = "must be a number, true/false, or a category string"; break;
        }
        return new ScoreInput { TraceId = TraceId, SpanId = SpanId, Name = Name, Value = value, Comment = Comment, Source = Source, CreatedAt = CreatedAt };
    }
}

public sealed record ScoreListResponse(IReadOnlyList<ScoreDto> Scores, int Total, int Offset, int Limit);
