using Vigil.Core.Ingest.Otlp.Proto;
using Vigil.Core.Scores;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>
/// A GenAI <c>gen_ai.evaluation.result</c> span event as a score (source <c>otel</c>): <c>gen_ai.evaluation.name</c>,
/// <c>gen_ai.evaluation.score.value</c> (a number) and/or <c>gen_ai.evaluation.score.label</c> (a category, or the label
/// beside the number), <c>gen_ai.evaluation.explanation</c> as the comment, the event's time as the score's.
/// </summary>
internal static class OtlpEvaluationEvent
{
    public const string Name = "gen_ai.evaluation.result";

    public static ScoreInput? Read(Span.Types.Event ev)
    {
        if (ev.Name != Name) return null;
        string? name = null, label = null, explanation = null;
        object? value = null;
        foreach (var kv in ev.Attributes)
        {
            switch (kv.Key)
            {
                case "gen_ai.evaluation.name": name = OtlpValueWriter.AsString(kv.Value); break;
                case "gen_ai.evaluation.score.label": label = OtlpValueWriter.AsString(kv.Value); break;
                case "gen_ai.evaluation.explanation": explanation = OtlpValueWriter.AsString(kv.Value); break;
                case "gen_ai.evaluation.score.value":
                    value = kv.Value?.ValueCase switch
                    {
                        AnyValue.ValueOneofCase.DoubleValue => kv.Value.DoubleValue,
                        AnyValue.ValueOneofCase.IntValue => (double)kv.Value.IntValue,
                        AnyValue.ValueOneofCase.BoolValue => kv.Value.BoolValue,
                        _ => double.TryParse(OtlpValueWriter.AsString(kv.Value), System.Globalization.NumberStyles.Float,
                            System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
                    };
                    break;
            }
        }
        // An evaluation Vigil cannot store as a score is left in the span's events rather than failing the span.
        if (string.IsNullOrEmpty(name) || name.Length > ScoreLimits.MaxNameLength || label is { Length: > ScoreLimits.MaxCategoryLength }) return null;
        if (value is double d && !double.IsFinite(d)) value = null;
        if (value is null && string.IsNullOrEmpty(label)) return null;
        if (explanation is { Length: > ScoreLimits.MaxCommentLength }) explanation = explanation[..ScoreLimits.MaxCommentLength];
        return new ScoreInput
        {
            Name = name,
            // A label alone is a category; beside a number it is the number's label.
            Value = value ?? label,
            Label = value is null ? null : label,
            Comment = explanation,
            Source = ScoreSource.Otel,
            CreatedAt = OtlpMapper.FromUnixNanos(ev.TimeUnixNano),
        };
    }
}
