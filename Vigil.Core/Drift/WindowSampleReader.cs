using Vigil.Core.Traces;

namespace Vigil.Core.Drift;

/// <summary>
/// Turns the rows of a drift window query into samples per group. Every provider's query returns the same columns:
/// 0 the kind as its index in <see cref="SpanKind.All"/> (or as text for an unknown kind), 1 is-error as 0/1,
/// 2 duration_ms, 3 input_tokens, 4 output_tokens, 5 cost_usd with NULLs as the sentinels below (no IsDBNull per
/// column), and 6 the name or model when the grouping needs it. Per-row cost is what matters at a million rows.
/// </summary>
internal static class WindowSampleReader
{
    public const double NullReal = -1e308;
    public const long NullInt = long.MinValue + 1; // long.MinValue itself is not an integer literal in SQLite

    /// <summary>The CASE expression that turns a kind into its code (column 0).</summary>
    public static readonly string KindCode =
        "CASE kind " + string.Concat(SpanKind.All.Select((k, i) => $"WHEN '{k}' THEN {i} ")) + "ELSE {0} END";

    /// <summary>Column 6: the name or model for the finer groupings, else nothing.</summary>
    public static string GroupColumn(DriftGroupBy groupBy) => groupBy switch
    {
        DriftGroupBy.KindName => ", name",
        DriftGroupBy.KindModel => ", model",
        _ => "",
    };

    /// <summary>The row source <see cref="Read"/> consumes; a struct so the generic loop is specialised, not virtual.</summary>
    public interface IRows
    {
        bool Next();
        /// <summary>Whether column <paramref name="i"/> of the current row is text (an unknown kind).</summary>
        bool IsText(int i);
        long Int64(int i);
        double Double(int i);
        string? String(int i);
    }

    public static Dictionary<DriftGroup, WindowSamples> Read<TRows>(TRows rows, DriftGroupBy groupBy, CancellationToken ct) where TRows : struct, IRows
    {
        var byName = groupBy == DriftGroupBy.KindName;
        var byModel = groupBy == DriftGroupBy.KindModel;
        var fine = byName || byModel;
        var groups = new Dictionary<DriftGroup, WindowSamples>();
        var byCode = new WindowSamples?[SpanKind.All.Count];
        DriftGroup lastKey = default;
        WindowSamples? last = null;
        // Synchronous per row: a Task per row over a million rows would be pure overhead. Cancellation is checked
        // every 64k rows instead.
        var count = 0;
        while (rows.Next())
        {
            if ((++count & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            var code = rows.IsText(0) ? -1 : (int)rows.Int64(0);
            WindowSamples s;
            if (!fine && code >= 0) s = byCode[code] ??= GetOrAdd(groups, new DriftGroup(SpanKind.All[code], null, null));
            else
            {
                var kind = code >= 0 ? SpanKind.All[code] : rows.String(0) ?? SpanKind.Custom;
                var name = byName ? rows.String(6) : null;
                var model = byModel ? rows.String(6) : null;
                // Rows of one group tend to repeat: remember the last one to skip most dictionary lookups.
                if (last is not null && lastKey.Kind == kind && lastKey.Name == name && lastKey.Model == model) s = last;
                else
                {
                    lastKey = new DriftGroup(kind, name, model);
                    s = last = GetOrAdd(groups, lastKey);
                }
            }

            s.Total++;
            if (rows.Int64(1) != 0) s.Errors++;
            var duration = rows.Double(2);
            if (duration != NullReal) s.Latency.Add(duration);
            var inTokens = rows.Int64(3);
            var outTokens = rows.Int64(4);
            if (inTokens != NullInt || outTokens != NullInt)
                s.Tokens.Add((inTokens == NullInt ? 0 : inTokens) + (outTokens == NullInt ? 0 : outTokens));
            if (outTokens != NullInt) s.OutputLength.Add(outTokens);
            var cost = rows.Double(5);
            if (cost != NullReal) s.Cost.Add(cost);
        }
        return groups;
    }

    /// <summary>Rows of an ADO.NET reader (any provider).</summary>
    public readonly struct ReaderRows(System.Data.Common.DbDataReader reader) : IRows
    {
        public bool Next() => reader.Read();
        public bool IsText(int i) => reader.GetFieldType(i) == typeof(string);
        public long Int64(int i) => reader.GetInt64(i);
        public double Double(int i) => reader.GetDouble(i);
        public string? String(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
    }

    private static WindowSamples GetOrAdd(Dictionary<DriftGroup, WindowSamples> groups, DriftGroup key)
    {
        if (!groups.TryGetValue(key, out var s)) groups[key] = s = new WindowSamples();
        return s;
    }
}
