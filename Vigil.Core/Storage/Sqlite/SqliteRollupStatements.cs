using Microsoft.Data.Sqlite;
using Vigil.Core.Metrics;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// Applies a transaction's <see cref="RollupDeltas"/> on SQLite: each touched rollup row is read, summed in memory and
/// written back (SQLite has one writer, so nothing changes in between), an emptied row is deleted; project counts are
/// added in SQL. Runs inside the caller's transaction; prepared once per connection.
/// </summary>
internal sealed class SqliteRollupStatements : IDisposable
{
    private const string KeyWhere = "project_id = @project_id AND bucket_seconds = @bucket_seconds AND bucket_start_us = @bucket_start_us AND kind = @kind AND model = @model AND shard = 0";

    private readonly NativeStatement _select;
    private readonly NativeStatement _upsert;
    private readonly NativeStatement _delete;
    private readonly NativeStatement _counts;

    public SqliteRollupStatements(SqliteConnection connection)
    {
        _select = new NativeStatement(connection, $"""
            SELECT span_count, error_count, input_tokens, output_tokens, cost_nano_usd, latency_count, latency_sum_us, latency_sketch
            FROM metric_rollups WHERE {KeyWhere}
            """);
        _upsert = new NativeStatement(connection, """
            INSERT INTO metric_rollups (project_id, bucket_seconds, bucket_start_us, kind, model, shard, span_count, error_count,
                                        input_tokens, output_tokens, cost_nano_usd, latency_count, latency_sum_us, latency_sketch)
            VALUES (@project_id, @bucket_seconds, @bucket_start_us, @kind, @model, 0, @span_count, @error_count,
                    @input_tokens, @output_tokens, @cost_nano_usd, @latency_count, @latency_sum_us, @latency_sketch)
            ON CONFLICT (project_id, bucket_seconds, bucket_start_us, kind, model, shard) DO UPDATE SET
                span_count = excluded.span_count, error_count = excluded.error_count, input_tokens = excluded.input_tokens,
                output_tokens = excluded.output_tokens, cost_nano_usd = excluded.cost_nano_usd, latency_count = excluded.latency_count,
                latency_sum_us = excluded.latency_sum_us, latency_sketch = excluded.latency_sketch
            """);
        _delete = new NativeStatement(connection, $"DELETE FROM metric_rollups WHERE {KeyWhere}");
        _counts = new NativeStatement(connection, """
            INSERT INTO project_counts (project_id, shard, traces, spans) VALUES (@project_id, 0, @traces, @spans)
            ON CONFLICT (project_id, shard) DO UPDATE SET traces = project_counts.traces + excluded.traces, spans = project_counts.spans + excluded.spans
            """);
    }

    public void Apply(RollupDeltas deltas)
    {
        foreach (var (key, sums) in deltas.Rows())
        {
            var row = new MetricRollup { ProjectId = key.ProjectId, BucketSeconds = key.BucketSeconds, BucketStartUs = key.BucketStartUs, Kind = key.Kind, Model = key.Model };
            BindKey(_select, key);
            try
            {
                if (_select.Step())
                {
                    row.SpanCount = _select.Int64(0);
                    row.ErrorCount = _select.Int64(1);
                    row.InputTokens = _select.Int64(2);
                    row.OutputTokens = _select.Int64(3);
                    row.CostNanoUsd = _select.Int64(4);
                    row.LatencyCount = _select.Int64(5);
                    row.LatencySumUs = _select.Int64(6);
                    row.LatencySketch = _select.Blob(7);
                }
            }
            finally { _select.Reset(); }
            sums.AddTo(row);
            if (RollupDeltas.Sums.IsEmptyRow(row)) Run(_delete, key);
            else
            {
                BindKey(_upsert, key);
                _upsert.Bind(_upsert.Parameter("@span_count"), row.SpanCount);
                _upsert.Bind(_upsert.Parameter("@error_count"), row.ErrorCount);
                _upsert.Bind(_upsert.Parameter("@input_tokens"), row.InputTokens);
                _upsert.Bind(_upsert.Parameter("@output_tokens"), row.OutputTokens);
                _upsert.Bind(_upsert.Parameter("@cost_nano_usd"), row.CostNanoUsd);
                _upsert.Bind(_upsert.Parameter("@latency_count"), row.LatencyCount);
                _upsert.Bind(_upsert.Parameter("@latency_sum_us"), row.LatencySumUs);
                _upsert.Bind(_upsert.Parameter("@latency_sketch"), row.LatencySketch);
                Run(_upsert, null);
            }
        }
        foreach (var (projectId, traces, spans) in deltas.Counts())
        {
            _counts.Bind(_counts.Parameter("@project_id"), projectId);
            _counts.Bind(_counts.Parameter("@traces"), traces);
            _counts.Bind(_counts.Parameter("@spans"), spans);
            Run(_counts, null);
        }
        deltas.Clear();
    }

    private void Run(NativeStatement statement, RollupDeltas.Key? key)
    {
        if (key is { } k) BindKey(statement, k);
        try { statement.Step(); }
        finally { statement.Reset(); }
    }

    private static void BindKey(NativeStatement s, RollupDeltas.Key key)
    {
        s.Bind(s.Parameter("@project_id"), key.ProjectId);
        s.Bind(s.Parameter("@bucket_seconds"), (long)key.BucketSeconds);
        s.Bind(s.Parameter("@bucket_start_us"), key.BucketStartUs);
        s.Bind(s.Parameter("@kind"), key.Kind);
        s.Bind(s.Parameter("@model"), key.Model);
    }

    public void Dispose()
    {
        _select.Dispose();
        _upsert.Dispose();
        _delete.Dispose();
        _counts.Dispose();
    }
}
