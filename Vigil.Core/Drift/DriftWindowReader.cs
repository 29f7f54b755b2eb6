using System.Data.Common;

namespace Vigil.Core.Drift;

/// <summary>
/// Reads one window of one project with a single streaming query over the typed span columns (never the JSON payloads),
/// served by the (project_id, start_time_us) index. Name and model are selected only when the grouping needs them.
/// </summary>
internal static class DriftWindowReader
{
    public static async Task<Dictionary<DriftGroup, WindowSamples>> ReadAsync(
        DbConnection connection, string projectId, long fromUs, long toUs, DriftGroupBy groupBy, CancellationToken ct)
    {
        var nameCol = groupBy == DriftGroupBy.KindName ? "name" : "NULL";
        var modelCol = groupBy == DriftGroupBy.KindModel ? "model" : "NULL";
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT kind, {nameCol}, {modelCol}, status = 'error', duration_ms, input_tokens, output_tokens, cost_usd
            FROM spans WHERE project_id = $p AND start_time_us >= $from AND start_time_us < $to
            """;
        Add(cmd, "$p", projectId);
        Add(cmd, "$from", fromUs);
        Add(cmd, "$to", toUs);

        var groups = new Dictionary<DriftGroup, WindowSamples>();
        // Rows of one group tend to repeat: remember the last one to skip most dictionary lookups.
        DriftGroup lastKey = default;
        WindowSamples? last = null;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var kind = reader.GetString(0);
            var name = reader.IsDBNull(1) ? null : reader.GetString(1);
            var model = reader.IsDBNull(2) ? null : reader.GetString(2);
            WindowSamples s;
            if (last is not null && lastKey.Kind == kind && lastKey.Name == name && lastKey.Model == model) s = last;
            else
            {
                var key = new DriftGroup(kind, name, model);
                if (!groups.TryGetValue(key, out s!)) groups[key] = s = new WindowSamples();
                lastKey = key;
                last = s;
            }

            s.Total++;
            if (reader.GetInt64(3) != 0) s.Errors++;
            if (!reader.IsDBNull(4)) s.Latency.Add(reader.GetDouble(4));
            var hasIn = !reader.IsDBNull(5);
            var hasOut = !reader.IsDBNull(6);
            var outTokens = hasOut ? reader.GetInt64(6) : 0;
            if (hasIn || hasOut) s.Tokens.Add((hasIn ? reader.GetInt64(5) : 0) + outTokens);
            if (hasOut) s.OutputLength.Add(outTokens);
            if (!reader.IsDBNull(7)) s.Cost.Add(reader.GetDouble(7));
        }
        return groups;
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
