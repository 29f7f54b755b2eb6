using System.Data;
using System.Data.Common;
using Vigil.Core.Live;
using Vigil.Core.Storage;

namespace Vigil.Core.Ingest;

/// <summary>
/// Writes a validated batch in one transaction with prepared statements (no EF change tracking: the SQLite provider
/// would send one statement per entity and track every row). Returns what the live feed needs.
/// Calls are synchronous on purpose: Microsoft.Data.Sqlite's async methods run synchronously anyway and only add
/// per-statement overhead on this hot path.
/// </summary>
internal sealed class IngestWriter : IDisposable
{
    private readonly DbCommand _trace;
    private readonly DbCommand _span;
    private readonly DbCommand _refresh;

    // Statements are prepared once per writer connection and reused by every batch; only values change.
    public IngestWriter(DbConnection connection, bool postgres)
    {
        _trace = Command(connection, IngestSql.UpsertTrace, "project_id", "now_us", "false", "trace_id", "name", "name_explicit", "external_id", "metadata", "start_time_us");
        _span = Command(connection, IngestSql.UpsertSpan, "project_id", "trace_id", "span_id", "parent_span_id", "name", "kind", "status", "input", "output",
            "metadata", "events", "start_time_us", "end_time_us", "duration_ms", "model", "provider", "input_tokens", "output_tokens", "cost_usd",
            "name_given", "kind_given", "status_given", "start_given");
        _refresh = Command(connection, IngestSql.RefreshTrace(postgres), "project_id", "now_us", "trace_id");
        _trace.Parameters["@false"].Value = false;
        _trace.Prepare();
        _span.Prepare();
        _refresh.Prepare();
    }

    public void Enlist(DbTransaction? transaction)
    {
        _trace.Transaction = transaction;
        _span.Transaction = transaction;
        _refresh.Transaction = transaction;
    }

    public record struct TraceHeader(string TraceId, string? Name, string? ExternalId, string? Metadata, long StartUs);

    /// <summary>Upserts the trace rows; returns the ids of the traces created by this batch.</summary>
    public HashSet<string> UpsertTraces(string projectId, IReadOnlyList<TraceHeader> traces, long nowUs)
    {
        var created = new HashSet<string>(StringComparer.Ordinal);
        var p = _trace.Parameters;
        p["@project_id"].Value = projectId;
        p["@now_us"].Value = nowUs;
        foreach (var t in traces)
        {
            p["@trace_id"].Value = t.TraceId;
            p["@name"].Value = (object?)t.Name ?? DBNull.Value;
            p["@name_explicit"].Value = t.Name is not null;
            p["@external_id"].Value = (object?)t.ExternalId ?? DBNull.Value;
            p["@metadata"].Value = (object?)t.Metadata ?? DBNull.Value;
            p["@start_time_us"].Value = t.StartUs;
            var createdAt = (long)_trace.ExecuteScalar()!;
            if (createdAt == nowUs) created.Add(t.TraceId);
        }
        return created;
    }

    public List<SpanSummary> UpsertSpans(string projectId, IReadOnlyList<PreparedSpan> spans)
    {
        var summaries = new List<SpanSummary>(spans.Count);
        var p = _span.Parameters;
        p[0].Value = projectId;
        foreach (var ps in spans)
        {
            var s = ps.Input;
            p[1].Value = ps.TraceId;
            p[2].Value = s.SpanId!;
            p[3].Value = (object?)s.ParentSpanId ?? DBNull.Value;
            p[4].Value = s.Name ?? "";
            p[5].Value = s.Kind ?? Traces.SpanKind.Custom;
            p[6].Value = s.Status ?? Traces.SpanStatus.Unset;
            p[7].Value = (object?)s.Input ?? DBNull.Value;
            p[8].Value = (object?)s.Output ?? DBNull.Value;
            p[9].Value = (object?)s.Metadata ?? DBNull.Value;
            p[10].Value = (object?)s.Events ?? DBNull.Value;
            p[11].Value = ps.StartUs;
            p[12].Value = (object?)ps.EndUs ?? DBNull.Value;
            p[13].Value = (object?)ps.DurationMs ?? DBNull.Value;
            p[14].Value = (object?)s.Model ?? DBNull.Value;
            p[15].Value = (object?)ps.Provider ?? DBNull.Value;
            p[16].Value = (object?)s.InputTokens ?? DBNull.Value;
            p[17].Value = (object?)s.OutputTokens ?? DBNull.Value;
            p[18].Value = (object?)ps.CostUsd ?? DBNull.Value;
            p[19].Value = s.Name is not null;
            p[20].Value = s.Kind is not null;
            p[21].Value = s.Status is not null;
            p[22].Value = s.StartTime is not null;

            using var r = _span.ExecuteReader();
            r.Read();
            summaries.Add(new SpanSummary(
                ps.TraceId, s.SpanId!,
                r.IsDBNull(0) ? null : r.GetString(0),
                r.GetString(1), r.GetString(2), r.GetString(3),
                UnixMicros.ToDateTime(r.GetInt64(4)),
                r.IsDBNull(5) ? null : UnixMicros.ToDateTime(r.GetInt64(5)),
                r.IsDBNull(6) ? null : r.GetDouble(6),
                r.IsDBNull(7) ? null : r.GetString(7),
                r.IsDBNull(8) ? null : r.GetInt64(8),
                r.IsDBNull(9) ? null : r.GetInt64(9),
                r.IsDBNull(10) ? null : r.GetDouble(10)));
        }
        return summaries;
    }

    public List<TraceSummary> RefreshTraces(string projectId, IReadOnlyList<string> traceIds, HashSet<string> created, long nowUs)
    {
        var result = new List<TraceSummary>(traceIds.Count);
        var p = _refresh.Parameters;
        p["@project_id"].Value = projectId;
        p["@now_us"].Value = nowUs;
        foreach (var id in traceIds)
        {
            p["@trace_id"].Value = id;
            using var r = _refresh.ExecuteReader();
            if (!r.Read()) continue;
            result.Add(new TraceSummary(
                id,
                r.IsDBNull(0) ? null : r.GetString(0),
                r.GetString(1),
                UnixMicros.ToDateTime(r.GetInt64(2)),
                r.IsDBNull(3) ? null : UnixMicros.ToDateTime(r.GetInt64(3)),
                r.IsDBNull(4) ? null : r.GetDouble(4),
                r.GetInt32(5), r.GetInt32(6), r.GetInt64(7), r.GetInt64(8), r.GetDouble(9),
                created.Contains(id)));
        }
        return result;
    }

    private static DbCommand Command(DbConnection connection, string sql, params string[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@" + name;
            p.DbType = name switch
            {
                "now_us" or "start_time_us" or "end_time_us" or "input_tokens" or "output_tokens" => DbType.Int64,
                "duration_ms" or "cost_usd" => DbType.Double,
                "false" or "name_explicit" or "name_given" or "kind_given" or "status_given" or "start_given" => DbType.Boolean,
                _ => DbType.String,
            };
            p.Value = DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public void Dispose()
    {
        _trace.Dispose();
        _span.Dispose();
        _refresh.Dispose();
    }
}
