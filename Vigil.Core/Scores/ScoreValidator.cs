using Vigil.Core.Ingest;
using Vigil.Core.Storage;

namespace Vigil.Core.Scores;

/// <summary>The rules of a score, shared by the API, native ingest and OTLP: every problem is reported by field.</summary>
public static class ScoreValidator
{
    /// <summary>The stored row, or null after reporting each problem to <paramref name="error"/> (field, message).</summary>
    public static ScoreRecord? Create(string projectId, ScoreInput s, long nowUs, Action<string, string> error, string defaultSource = ScoreSource.Api)
    {
        var ok = true;
        void Fail(string field, string message) { ok = false; error(field, message); }

        if (string.IsNullOrEmpty(s.TraceId)) Fail("trace_id", "is required");
        else if (s.TraceId.Length > IngestValidator.MaxIdLength) Fail("trace_id", $"is {s.TraceId.Length} characters; the limit is {IngestValidator.MaxIdLength}");
        if (s.SpanId is { Length: 0 or > IngestValidator.MaxIdLength }) Fail("span_id", $"must be 1-{IngestValidator.MaxIdLength} characters or null");
        if (string.IsNullOrWhiteSpace(s.Name)) Fail("name", "is required");
        else if (s.Name.Length > ScoreLimits.MaxNameLength) Fail("name", $"is {s.Name.Length} characters; the limit is {ScoreLimits.MaxNameLength}");
        if (s.Comment is { Length: > ScoreLimits.MaxCommentLength }) Fail("comment", $"is {s.Comment.Length} characters; the limit is {ScoreLimits.MaxCommentLength}");
        if (s.Label is { Length: > ScoreLimits.MaxCategoryLength }) Fail("label", $"is {s.Label.Length} characters; the limit is {ScoreLimits.MaxCategoryLength}");
        var source = s.Source ?? defaultSource;
        if (!ScoreSource.IsValid(source)) Fail("source", $"must be one of {string.Join(", ", ScoreSource.All)}");
        if (s.Author is { Length: > 256 }) Fail("author", "is longer than 256 characters");

        string dataType = ScoreDataType.Numeric;
        double? number = null;
        var text = s.Label;
        switch (s.Value)
        {
            case double d when double.IsFinite(d): number = d; break;
            case bool b: dataType = ScoreDataType.Boolean; number = b ? 1 : 0; break;
            case string c when c.Length is > 0 and <= ScoreLimits.MaxCategoryLength: dataType = ScoreDataType.Categorical; text = c; break;
            case string c: Fail("value", c.Length == 0 ? "a category must not be empty" : $"a category is at most {ScoreLimits.MaxCategoryLength} characters"); break;
            case null when s.Label is { Length: > 0 } label: dataType = ScoreDataType.Categorical; text = label; break;
            case null: Fail("value", "is required: a number, true/false, or a category string"); break;
            default: Fail("value", "must be a finite number, true/false, or a category string"); break;
        }
        if (!ok) return null;
        return new ScoreRecord
        {
            ProjectId = projectId,
            TraceId = s.TraceId!,
            SpanId = s.SpanId,
            Name = s.Name!.Trim(),
            DataType = dataType,
            Value = number,
            StringValue = text,
            Comment = s.Comment,
            Source = source,
            Author = s.Author,
            CreatedAtUs = s.CreatedAt is { } at ? UnixMicros.From(at) : nowUs,
        };
    }
}
