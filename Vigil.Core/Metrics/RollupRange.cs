namespace Vigil.Core.Metrics;

/// <summary>
/// Which rollup rows cover a time range: rollups resolve time to the minute, so a range covers the minutes from the one
/// holding its start to the one holding its end; whole hours inside it are read from hour rows and the minutes at either
/// edge from minute rows.
/// </summary>
internal readonly record struct RollupRange(long StartUs, long EndUs)
{
    private const long MinuteUs = 60_000_000L;
    private const long HourUs = 3_600_000_000L;

    /// <summary>The whole minutes covering [<paramref name="fromUs"/>, <paramref name="toUs"/>).</summary>
    public static RollupRange Covering(long fromUs, long toUs) =>
        new(SpanContribution.Floor(fromUs, MetricRollup.Minute), -SpanContribution.Floor(-toUs, MetricRollup.Minute));

    /// <summary>
    /// The (bucket width, first row start, end) spans to read: minute rows before the first whole hour, hour rows for the
    /// whole hours, minute rows after the last. With <paramref name="hours"/> false, minute rows throughout.
    /// </summary>
    public IEnumerable<(int BucketSeconds, long FromUs, long ToUs)> Parts(bool hours)
    {
        var firstHour = -SpanContribution.Floor(-StartUs, MetricRollup.Hour);
        var lastHour = SpanContribution.Floor(EndUs, MetricRollup.Hour);
        if (!hours || firstHour >= lastHour)
        {
            yield return (MetricRollup.Minute, StartUs, EndUs);
            yield break;
        }
        if (StartUs < firstHour) yield return (MetricRollup.Minute, StartUs, firstHour);
        yield return (MetricRollup.Hour, firstHour, lastHour);
        if (lastHour < EndUs) yield return (MetricRollup.Minute, lastHour, EndUs);
    }

    /// <summary>Whether hour rows fit whole into buckets of <paramref name="widthUs"/> aligned to the epoch.</summary>
    public static bool HoursFit(long widthUs) => widthUs % HourUs == 0;

    public static bool IsWholeMinutes(long widthUs) => widthUs > 0 && widthUs % MinuteUs == 0;
}
