using Npgsql;
using NpgsqlTypes;
using Vigil.Core.Metrics;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// Applies a transaction's <see cref="RollupDeltas"/> on PostgreSQL, rows passed as arrays: the touched rollup rows of this
/// writer's shard are created if missing, locked and read in key order, summed in memory and written back; emptied rows
/// are deleted; project counts are added in SQL. Each writer loop has its own shard, so two loops never wait on each
/// other's rollup rows (another Vigil instance sharing a shard number waits on the lock, which keeps the sums exact).
/// </summary>
internal static class PostgresRollupWriter
{
    private const string Keys = "unnest(@project_id, @bucket_seconds, @bucket_start_us, @kind, @model) AS u(project_id, bucket_seconds, bucket_start_us, kind, model)";
    private const string KeyJoin = "r.project_id = u.project_id AND r.bucket_seconds = u.bucket_seconds AND r.bucket_start_us = u.bucket_start_us AND r.kind = u.kind AND r.model = u.model AND r.shard = @shard";

    public static async Task ApplyAsync(NpgsqlConnection connection, RollupDeltas deltas, int shard, CancellationToken ct)
    {
        var rows = deltas.Rows();
        var counts = deltas.Counts().ToList();
        deltas.Clear();
        if (rows.Count == 0 && counts.Count == 0) return;

        var existing = new Dictionary<RollupDeltas.Key, MetricRollup>();
        if (rows.Count > 0)
        {
            await using (var ensure = KeyCommand(connection, rows, shard, $"""
                INSERT INTO metric_rollups (project_id, bucket_seconds, bucket_start_us, kind, model, shard, span_count, error_count,
                                            input_tokens, output_tokens, cost_nano_usd, latency_count, latency_sum_us, latency_sketch)
                SELECT u.project_id, u.bucket_seconds, u.bucket_start_us, u.kind, u.model, @shard, 0, 0, 0, 0, 0, 0, 0, NULL FROM {Keys}
                ON CONFLICT DO NOTHING
                """))
                await ensure.ExecuteNonQueryAsync(ct);
            await using (var read = KeyCommand(connection, rows, shard, $"""
                SELECT r.project_id, r.bucket_seconds, r.bucket_start_us, r.kind, r.model, r.span_count, r.error_count, r.input_tokens,
                       r.output_tokens, r.cost_nano_usd, r.latency_count, r.latency_sum_us, r.latency_sketch
                FROM metric_rollups r JOIN {Keys} ON {KeyJoin}
                ORDER BY r.project_id, r.bucket_seconds, r.bucket_start_us, r.kind, r.model
                FOR UPDATE OF r
                """))
            await using (var r = await read.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct))
                {
                    var row = new MetricRollup
                    {
                        ProjectId = r.GetString(0), BucketSeconds = r.GetInt32(1), BucketStartUs = r.GetInt64(2), Kind = r.GetString(3), Model = r.GetString(4),
                        Shard = shard, SpanCount = r.GetInt64(5), ErrorCount = r.GetInt64(6), InputTokens = r.GetInt64(7), OutputTokens = r.GetInt64(8),
                        CostNanoUsd = r.GetInt64(9), LatencyCount = r.GetInt64(10), LatencySumUs = r.GetInt64(11),
                        LatencySketch = r.IsDBNull(12) ? null : (byte[])r.GetValue(12),
                    };
                    existing[new RollupDeltas.Key(row.ProjectId, row.BucketSeconds, row.BucketStartUs, row.Kind, row.Model)] = row;
                }

            var updated = new List<(RollupDeltas.Key Key, MetricRollup Row)>(rows.Count);
            var emptied = new List<(RollupDeltas.Key Key, RollupDeltas.Sums Sums)>();
            foreach (var (key, sums) in rows)
            {
                var row = existing[key];
                sums.AddTo(row);
                if (RollupDeltas.Sums.IsEmptyRow(row)) emptied.Add((key, sums));
                else updated.Add((key, row));
            }
            if (updated.Count > 0)
            {
                await using var update = KeyCommand(connection, updated.Select(u => (u.Key, (RollupDeltas.Sums)null!)).ToList(), shard, """
                    UPDATE metric_rollups r SET span_count = v.span_count, error_count = v.error_count, input_tokens = v.input_tokens,
                        output_tokens = v.output_tokens, cost_nano_usd = v.cost_nano_usd, latency_count = v.latency_count,
                        latency_sum_us = v.latency_sum_us, latency_sketch = v.latency_sketch
                    FROM unnest(@project_id, @bucket_seconds, @bucket_start_us, @kind, @model, @span_count, @error_count, @input_tokens,
                                @output_tokens, @cost_nano_usd, @latency_count, @latency_sum_us, @latency_sketch)
                         AS v(project_id, bucket_seconds, bucket_start_us, kind, model, span_count, error_count, input_tokens,
                              output_tokens, cost_nano_usd, latency_count, latency_sum_us, latency_sketch)
                    WHERE r.project_id = v.project_id AND r.bucket_seconds = v.bucket_seconds AND r.bucket_start_us = v.bucket_start_us
                      AND r.kind = v.kind AND r.model = v.model AND r.shard = @shard
                    """);
                AddValues(update, updated.Select(u => u.Row).ToList());
                await update.ExecuteNonQueryAsync(ct);
            }
            if (emptied.Count > 0)
            {
                await using var delete = KeyCommand(connection, emptied, shard, $"DELETE FROM metric_rollups r USING {Keys} WHERE {KeyJoin}");
                await delete.ExecuteNonQueryAsync(ct);
            }
        }
        if (counts.Count > 0)
        {
            await using var add = new NpgsqlCommand("""
                INSERT INTO project_counts (project_id, shard, traces, spans)
                SELECT u.project_id, @shard, u.traces, u.spans FROM unnest(@project_id, @traces, @spans) AS u(project_id, traces, spans)
                ON CONFLICT (project_id, shard) DO UPDATE SET traces = project_counts.traces + excluded.traces, spans = project_counts.spans + excluded.spans
                """, connection);
            add.Parameters.Add(new NpgsqlParameter<int>("shard", shard));
            add.Parameters.Add(Array("project_id", NpgsqlDbType.Text, counts.Select(c => c.ProjectId).ToArray()));
            add.Parameters.Add(Array("traces", NpgsqlDbType.Bigint, counts.Select(c => c.Traces).ToArray()));
            add.Parameters.Add(Array("spans", NpgsqlDbType.Bigint, counts.Select(c => c.Spans).ToArray()));
            await add.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// Applies deltas (the deleter's) by folding every shard of each touched row into shard 0: the rows are locked and read,
    /// deleted, and their sum plus the delta written back unless it is empty, so deleted history leaves no rows behind.
    /// Project counts are folded the same way.
    /// </summary>
    public static async Task ApplyCompactingAsync(NpgsqlConnection connection, RollupDeltas deltas, CancellationToken ct)
    {
        var rows = deltas.Rows();
        var counts = deltas.Counts().ToList();
        deltas.Clear();
        if (rows.Count > 0)
        {
            var sums = new Dictionary<RollupDeltas.Key, MetricRollup>();
            await using (var read = KeyCommand(connection, rows, 0, $"""
                DELETE FROM metric_rollups r USING {Keys}
                WHERE r.project_id = u.project_id AND r.bucket_seconds = u.bucket_seconds AND r.bucket_start_us = u.bucket_start_us AND r.kind = u.kind AND r.model = u.model
                RETURNING r.project_id, r.bucket_seconds, r.bucket_start_us, r.kind, r.model, r.span_count, r.error_count, r.input_tokens,
                          r.output_tokens, r.cost_nano_usd, r.latency_count, r.latency_sum_us, r.latency_sketch
                """))
            await using (var r = await read.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct))
                {
                    var key = new RollupDeltas.Key(r.GetString(0), r.GetInt32(1), r.GetInt64(2), r.GetString(3), r.GetString(4));
                    if (!sums.TryGetValue(key, out var row)) sums[key] = row = new MetricRollup { ProjectId = key.ProjectId, BucketSeconds = key.BucketSeconds, BucketStartUs = key.BucketStartUs, Kind = key.Kind, Model = key.Model };
                    var part = new RollupDeltas.Sums
                    {
                        SpanCount = r.GetInt64(5), ErrorCount = r.GetInt64(6), InputTokens = r.GetInt64(7), OutputTokens = r.GetInt64(8),
                        CostNanoUsd = r.GetInt64(9), LatencyCount = r.GetInt64(10), LatencySumUs = r.GetInt64(11),
                    };
                    if (!r.IsDBNull(12)) part.Sketch.MergeEncoded((byte[])r.GetValue(12));
                    part.AddTo(row);
                }
            var kept = new List<(RollupDeltas.Key Key, MetricRollup Row)>();
            foreach (var (key, delta) in rows)
            {
                if (!sums.TryGetValue(key, out var row)) row = new MetricRollup { ProjectId = key.ProjectId, BucketSeconds = key.BucketSeconds, BucketStartUs = key.BucketStartUs, Kind = key.Kind, Model = key.Model };
                delta.AddTo(row);
                if (!RollupDeltas.Sums.IsEmptyRow(row)) kept.Add((key, row));
            }
            if (kept.Count > 0)
            {
                await using var insert = KeyCommand(connection, kept.Select(k => (k.Key, (RollupDeltas.Sums)null!)).ToList(), 0, """
                    INSERT INTO metric_rollups (project_id, bucket_seconds, bucket_start_us, kind, model, shard, span_count, error_count,
                                                input_tokens, output_tokens, cost_nano_usd, latency_count, latency_sum_us, latency_sketch)
                    SELECT v.project_id, v.bucket_seconds, v.bucket_start_us, v.kind, v.model, 0, v.span_count, v.error_count, v.input_tokens,
                           v.output_tokens, v.cost_nano_usd, v.latency_count, v.latency_sum_us, v.latency_sketch
                    FROM unnest(@project_id, @bucket_seconds, @bucket_start_us, @kind, @model, @span_count, @error_count, @input_tokens,
                                @output_tokens, @cost_nano_usd, @latency_count, @latency_sum_us, @latency_sketch)
                         AS v(project_id, bucket_seconds, bucket_start_us, kind, model, span_count, error_count, input_tokens,
                              output_tokens, cost_nano_usd, latency_count, latency_sum_us, latency_sketch)
                    """);
                AddValues(insert, kept.Select(k => k.Row).ToList());
                await insert.ExecuteNonQueryAsync(ct);
            }
        }
        if (counts.Count > 0)
        {
            await using var fold = new NpgsqlCommand("""
                WITH gone AS (DELETE FROM project_counts c USING unnest(@project_id) AS u(project_id) WHERE c.project_id = u.project_id
                              RETURNING c.project_id, c.traces, c.spans),
                     total AS (SELECT u.project_id, COALESCE(SUM(g.traces), 0) + u.traces AS traces, COALESCE(SUM(g.spans), 0) + u.spans AS spans
                               FROM unnest(@project_id, @traces, @spans) AS u(project_id, traces, spans)
                               LEFT JOIN gone g ON g.project_id = u.project_id GROUP BY u.project_id, u.traces, u.spans)
                INSERT INTO project_counts (project_id, shard, traces, spans) SELECT project_id, 0, traces, spans FROM total
                """, connection);
            fold.Parameters.Add(Array("project_id", NpgsqlDbType.Text, counts.Select(c => c.ProjectId).ToArray()));
            fold.Parameters.Add(Array("traces", NpgsqlDbType.Bigint, counts.Select(c => c.Traces).ToArray()));
            fold.Parameters.Add(Array("spans", NpgsqlDbType.Bigint, counts.Select(c => c.Spans).ToArray()));
            await fold.ExecuteNonQueryAsync(ct);
        }
    }

    private static void AddValues(NpgsqlCommand cmd, List<MetricRollup> rows)
    {
        cmd.Parameters.Add(Array("span_count", NpgsqlDbType.Bigint, rows.Select(r => r.SpanCount).ToArray()));
        cmd.Parameters.Add(Array("error_count", NpgsqlDbType.Bigint, rows.Select(r => r.ErrorCount).ToArray()));
        cmd.Parameters.Add(Array("input_tokens", NpgsqlDbType.Bigint, rows.Select(r => r.InputTokens).ToArray()));
        cmd.Parameters.Add(Array("output_tokens", NpgsqlDbType.Bigint, rows.Select(r => r.OutputTokens).ToArray()));
        cmd.Parameters.Add(Array("cost_nano_usd", NpgsqlDbType.Bigint, rows.Select(r => r.CostNanoUsd).ToArray()));
        cmd.Parameters.Add(Array("latency_count", NpgsqlDbType.Bigint, rows.Select(r => r.LatencyCount).ToArray()));
        cmd.Parameters.Add(Array("latency_sum_us", NpgsqlDbType.Bigint, rows.Select(r => r.LatencySumUs).ToArray()));
        cmd.Parameters.Add(Array("latency_sketch", NpgsqlDbType.Bytea, rows.Select(r => r.LatencySketch).ToArray()));
    }

    private static NpgsqlCommand KeyCommand(NpgsqlConnection connection, List<(RollupDeltas.Key Key, RollupDeltas.Sums Sums)> rows, int shard, string sql)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.Add(new NpgsqlParameter<int>("shard", shard));
        cmd.Parameters.Add(Array("project_id", NpgsqlDbType.Text, rows.Select(r => r.Key.ProjectId).ToArray()));
        cmd.Parameters.Add(Array("bucket_seconds", NpgsqlDbType.Integer, rows.Select(r => r.Key.BucketSeconds).ToArray()));
        cmd.Parameters.Add(Array("bucket_start_us", NpgsqlDbType.Bigint, rows.Select(r => r.Key.BucketStartUs).ToArray()));
        cmd.Parameters.Add(Array("kind", NpgsqlDbType.Text, rows.Select(r => r.Key.Kind).ToArray()));
        cmd.Parameters.Add(Array("model", NpgsqlDbType.Text, rows.Select(r => PostgresText.Clean(r.Key.Model)!).ToArray()));
        return cmd;
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, T[] values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values };
}
