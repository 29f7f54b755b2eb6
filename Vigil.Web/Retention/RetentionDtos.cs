using Vigil.Core.Retention;

namespace Vigil.Web.Retention;

/// <summary>
/// <c>days</c>: delete traces that ended more than this many days ago (null: the server default <c>default_days</c>;
/// 0: keep forever); <c>max_spans</c>: keep at most this many spans, oldest traces going first (null: no limit).
/// </summary>
public sealed record RetentionDto(int? Days, long? MaxSpans, int? DefaultDays, int? EffectiveDays)
{
    public static RetentionDto From(RetentionSettings s) => new(s.Days, s.MaxSpans, s.DefaultDays, s.EffectiveDays);
}

public sealed record RetentionRequest(int? Days, long? MaxSpans);

public sealed record RetentionRunResponse(long DeletedTraces, long DeletedSpans);
