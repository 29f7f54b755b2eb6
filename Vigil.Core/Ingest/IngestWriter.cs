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
internal sealed class IngestWriter
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly bool _postgres;

    public IngestWriter(DbConnection connection, DbTransaction transaction, bool postgres)
    {
        _connection = connection;
        _transaction = transaction;
        _postgres = postgres;
    }

    public record struct TraceHeader(string TraceId, string? Name, string? ExternalId, string? Metadata, long StartUs);

    /// <summary>Upserts the trace rows; returns the ids of the traces created by this batch.</summary>
    public HashSet<string> UpsertTraces(string projectId, IReadOnlyList<TraceHeader> traces, long nowUs)
    {
        var created = new HashSet<string>(StringComparer.Ordinal);
        using var cmd = Command(IngestSql.UpsertTrace);
        var pTrace = Add(cmd, "trace_id", DbType.String);
        var pName = Add(cmd, "name", DbType.String);
        var pNameExplicit = Add(cmd, "name_explicit", DbType.Boolean);
        var pExternal = Add(cmd, "external_id", DbType.String);
        var pMeta = Add(cmd, "metadata", DbType.String);
        var pStart = Add(cmd, "start_time_us", DbType.Int64);
        Add(cmd, "project_id", DbType.String).Value = projectId;
        Add(cmd, "now_us", DbType.Int64).Value = nowUs;
        Add(cmd, "false", DbType.Boolean).Value = false;
        cmd.Prepare();
        foreach (var t in traces)
        {
            pTrace.Value = t.TraceId;
            pName.Value = (object?)t.Name ?? DBNull.Value;
            pNameExplicit.Value = t.Name is not null;
            pExternal.Value = (object?)t.ExternalId ?? DBNull.Value;
            pMeta.Value = (object?)t.Metadata ?? DBNull.Value;
            pStart.Value = t.StartUs;
            var createdAt = (long)cmd.ExecuteScalar()!;
            if (createdAt == nowUs) created.Add(t.TraceId);
        }
        return created;
    }

    public List<SpanSummary> UpsertSpans(string projectId, IReadOnlyList<PreparedSpan> spans)
    {
        var summaries = new List<SpanSummary>(spans.Count);
        using var cmd = Command(IngestSql.UpsertSpan);
        Add(cmd, "project_id", DbType.String).Value = projectId;
        var pTrace = Add(cmd, "trace_id", DbType.String);
        var pSpan = Add(cmd, "span_id", DbType.String);
        var pParent = Add(cmd, "parent_span_id", DbType.String);
        var pName = Add(cmd, "name", DbType.String);
        var pKind = Add(cmd, "kind", DbType.String);
        var pStatus = Add(cmd, "status", DbType.String);
        var pInput = Add(cmd, "input", DbType.String);
        var pOutput = Add(cmd, "output", DbType.String);
        var pMeta = Add(cmd, "metadata", DbType.String);
        var pEvents = Add(cmd, "events", DbType.String);
        var pStart = Add(cmd, "start_time_us", DbType.Int64);
        var pEnd = Add(cmd, "end_time_us", DbType.Int64);
        var pDuration = Add(cmd, "duration_ms", DbType.Double);
        var pModel = Add(cmd, "model", DbType.String);
        var pProvider = Add(cmd, "provider", DbType.String);
        var pInTok = Add(cmd, "input_tokens", DbType.Int64);
        var pOutTok = Add(cmd, "output_tokens", DbType.Int64);
        var pCost = Add(cmd, "cost_usd", DbType.Double);
        var pNameGiven = Add(cmd, "name_given", DbType.Boolean);
        var pKindGiven = Add(cmd, "kind_given", DbType.Boolean);
        var pStatusGiven = Add(cmd, "status_given", DbType.Boolean);
        var pStartGiven = Add(cmd, "start_given", DbType.Boolean);
        cmd.Prepare();

        foreach (var p in spans)
        {
            var s = p.Input;
            pTrace.Value = p.TraceId;
            pSpan.Value = s.SpanId!;
            pParent.Value = (object?)s.ParentSpanId ?? DBNull.Value;
            pName.Value = s.Name ?? "";
            pKind.Value = s.Kind ?? Traces.SpanKind.Custom;
            pStatus.Value = s.Status ?? Traces.SpanStatus.Unset;
            pInput.Value = (object?)s.Input ?? DBNull.Value;
            pOutput.Value = (object?)s.Output ?? DBNull.Value;
            pMeta.Value = (object?)s.Metadata ?? DBNull.Value;
            pEvents.Value = (object?)s.Events ?? DBNull.Value;
            pStart.Value = p.StartUs;
            pEnd.Value = (object?)p.EndUs ?? DBNull.Value;
            pDuration.Value = (object?)p.DurationMs ?? DBNull.Value;
            pModel.Value = (object?)s.Model ?? DBNull.Value;
            pProvider.Value = (object?)p.Provider ?? DBNull.Value;
            pInTok.Value = (object?)s.InputTokens ?? DBNull.Value;
            pOutTok.Value = (object?)s.OutputTokens ?? DBNull.Value;
            pCost.Value = (object?)p.CostUsd ?? DBNull.Value;
            pNameGiven.Value = s.Name is not null;
            pKindGiven.Value = s.Kind is not null;
            pStatusGiven.Value = s.Status is not null;
            pStartGiven.Value = s.StartTime is not null;

            using var r = cmd.ExecuteReader();
            r.Read();
            summaries.Add(new SpanSummary(
                p.TraceId, s.SpanId!,
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
        using var cmd = Command(IngestSql.RefreshTrace(_postgres));
        Add(cmd, "project_id", DbType.String).Value = projectId;
        Add(cmd, "now_us", DbType.Int64).Value = nowUs;
        var pTrace = Add(cmd, "trace_id", DbType.String);
        cmd.Prepare();
        foreach (var id in traceIds)
        {
            pTrace.Value = id;
            using var r = cmd.ExecuteReader();
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

    private DbCommand Command(string sql)
    {
        var cmd = _connection.CreateCommand();
        cmd.Transaction = _transaction;
        cmd.CommandText = sql;
        return cmd;
    }

    private static DbParameter Add(DbCommand cmd, string name, DbType type)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = "@" + name;
        p.DbType = type;
        p.Value = DBNull.Value;
        cmd.Parameters.Add(p);
        return p;
    }
}
