using Microsoft.Data.Sqlite;
using Vigil.Core.Ingest;
using Vigil.Core.Live;
using Vigil.Core.Sessions;
using Vigil.Core.Metrics;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// The ingest upserts, prepared once on the writer connection's native SQLite handle (no EF change tracking, no
/// ADO.NET parameter objects): this is the hottest loop of the server. Runs inside the caller's transaction. Returns
/// what the live feed needs, read back from the rows as merged by the upserts.
/// </summary>
internal sealed class SqliteIngestStatements : IDisposable
{
    private readonly NativeStatement _trace;
    private readonly NativeStatement _span;
    private readonly NativeStatement _refresh;
    private readonly NativeStatement _setRollup;
    private readonly NativeStatement _stored;

    /// <summary>The full-text index writes this transaction collects; the writer flushes them just before its commit.</summary>
    public SqliteTextIndex TextIndex { get; }

    // Parameter positions, resolved once.
    private readonly int _tProject, _tTrace, _tName, _tNameExplicit, _tExternal, _tMetadata, _tStart, _tNow, _tSession, _tUser;
    private readonly int _sTracePk, _sProject, _sTrace, _sSpan, _sParent, _sName, _sKind, _sStatus, _sInput, _sOutput, _sMetadata,
        _sEvents, _sStart, _sEnd, _sDuration, _sModel, _sProvider, _sInTokens, _sOutTokens, _sCost,
        _sNameGiven, _sKindGiven, _sStatusGiven, _sStartGiven;
    private readonly int _rTracePk, _rNow, _oTracePk, _oSpan;
    private readonly int _uTracePk, _uNow, _uSpanCount, _uErrorCount, _uInTokens, _uOutTokens, _uCost, _uStart, _uEnd, _uDuration, _uModels,
        _uRootName, _uRootStatus;

    public SqliteIngestStatements(SqliteConnection connection)
    {
        _trace = new NativeStatement(connection, SqliteIngestSql.UpsertTrace);
        _span = new NativeStatement(connection, SqliteIngestSql.UpsertSpan);
        _refresh = new NativeStatement(connection, SqliteIngestSql.RefreshTrace);
        _setRollup = new NativeStatement(connection, SqliteIngestSql.SetTraceRollup);
        _stored = new NativeStatement(connection, SqliteIngestSql.StoredSpan);
        TextIndex = new SqliteTextIndex(connection);

        _tProject = _trace.Parameter("@project_id");
        _tTrace = _trace.Parameter("@trace_id");
        _tName = _trace.Parameter("@name");
        _tNameExplicit = _trace.Parameter("@name_explicit");
        _tExternal = _trace.Parameter("@external_id");
        _tMetadata = _trace.Parameter("@metadata");
        _tStart = _trace.Parameter("@start_time_us");
        _tNow = _trace.Parameter("@now_us");
        _tSession = _trace.Parameter("@session_id");
        _tUser = _trace.Parameter("@user_id");

        _sTracePk = _span.Parameter("@trace_pk");
        _sProject = _span.Parameter("@project_id");
        _sTrace = _span.Parameter("@trace_id");
        _sSpan = _span.Parameter("@span_id");
        _sParent = _span.Parameter("@parent_span_id");
        _sName = _span.Parameter("@name");
        _sKind = _span.Parameter("@kind");
        _sStatus = _span.Parameter("@status");
        _sInput = _span.Parameter("@input");
        _sOutput = _span.Parameter("@output");
        _sMetadata = _span.Parameter("@metadata");
        _sEvents = _span.Parameter("@events");
        _sStart = _span.Parameter("@start_time_us");
        _sEnd = _span.Parameter("@end_time_us");
        _sDuration = _span.Parameter("@duration_ms");
        _sModel = _span.Parameter("@model");
        _sProvider = _span.Parameter("@provider");
        _sInTokens = _span.Parameter("@input_tokens");
        _sOutTokens = _span.Parameter("@output_tokens");
        _sCost = _span.Parameter("@cost_usd");
        _sNameGiven = _span.Parameter("@name_given");
        _sKindGiven = _span.Parameter("@kind_given");
        _sStatusGiven = _span.Parameter("@status_given");
        _sStartGiven = _span.Parameter("@start_given");

        _oTracePk = _stored.Parameter("@trace_pk");
        _oSpan = _stored.Parameter("@span_id");

        _rTracePk = _refresh.Parameter("@trace_pk");
        _rNow = _refresh.Parameter("@now_us");

        _uTracePk = _setRollup.Parameter("@trace_pk");
        _uNow = _setRollup.Parameter("@now_us");
        _uSpanCount = _setRollup.Parameter("@span_count");
        _uErrorCount = _setRollup.Parameter("@error_count");
        _uInTokens = _setRollup.Parameter("@input_tokens");
        _uOutTokens = _setRollup.Parameter("@output_tokens");
        _uCost = _setRollup.Parameter("@cost_usd");
        _uStart = _setRollup.Parameter("@start_time_us");
        _uEnd = _setRollup.Parameter("@end_time_us");
        _uDuration = _setRollup.Parameter("@duration_ms");
        _uModels = _setRollup.Parameter("@models");
        _uRootName = _setRollup.Parameter("@root_name");
        _uRootStatus = _setRollup.Parameter("@root_status");
    }

    /// <summary>
    /// A trace of the batch: its row id, what it added to its session and user before (null for a trace this batch
    /// created), its session and user after, and for a trace this batch created, its rollup as the spans are written.
    /// </summary>
    public sealed class BatchTrace(long pk, bool created, TraceState? before, string? sessionId, string? userId, bool nameSent, string? indexedName, string? indexedModels)
    {
        /// <summary>Whether the batch named the trace, and for an existing trace its name and models as indexed before.</summary>
        public bool NameSent { get; } = nameSent;
        public string? IndexedName { get; } = indexedName;
        public string? IndexedModels { get; } = indexedModels;

        public long Pk { get; } = pk;
        public bool Created { get; } = created;
        public TraceRollup? Rollup { get; } = created ? new TraceRollup() : null;
        public TraceState? Before { get; } = before;
        public string? SessionId { get; } = sessionId;
        public string? UserId { get; } = userId;
    }

    /// <summary>Upserts the trace rows (spans need their row ids), changes existing traces' sessions and users, and counts the traces it created.</summary>
    public Dictionary<string, BatchTrace> UpsertTraces(string projectId, IReadOnlyList<TraceHeader> traces, long nowUs, SqliteSessionStatements sessions, RollupDeltas deltas)
    {
        var rows = new Dictionary<string, BatchTrace>(traces.Count, StringComparer.Ordinal);
        _trace.Bind(_tProject, projectId);
        _trace.Bind(_tNow, nowUs);
        foreach (var t in traces)
        {
            _trace.Bind(_tTrace, t.TraceId);
            _trace.Bind(_tName, t.Name);
            _trace.Bind(_tNameExplicit, t.Name is not null);
            _trace.Bind(_tExternal, t.ExternalId);
            _trace.Bind(_tMetadata, t.Metadata);
            _trace.Bind(_tStart, t.StartUs);
            _trace.Bind(_tSession, t.SessionId);
            _trace.Bind(_tUser, t.UserId);
            BatchTrace row;
            try
            {
                _trace.Step();
                var r = _trace;
                var pk = r.Int64(0);
                // A stored trace always has spans (they commit together): none means this batch inserted the row. Unlike
                // comparing row ids with the highest seen, this holds when another process wrote to the file meanwhile.
                var created = r.Int64(9) == 0;
                TraceState? before = created ? null : new TraceState(r.Text(1), r.Text(2), (int)r.Int64(3), r.Int64(4), r.Int64(5), r.Double(6), r.Int64(7), r.NullableInt64(8));
                row = new BatchTrace(pk, created, before, t.SessionId ?? before?.SessionId, t.UserId ?? before?.UserId,
                    t.Name is not null, created ? null : r.Text(10), created ? null : r.Text(11));
                if (created) deltas.AddCounts(projectId, 1, 0);
            }
            finally { _trace.Reset(); }
            rows[t.TraceId] = row;
            if (row.Before is { } b && (row.SessionId != b.SessionId || row.UserId != b.UserId))
                sessions.SetTraceSessionUser(row.Pk, t.SessionId, t.UserId);
        }
        return rows;
    }

    /// <summary>
    /// Upserts the spans and adds what each changes in the metric rollups to <paramref name="deltas"/>: a span that may
    /// already be stored (its trace existed before this batch, or its id came earlier in it) is read first, and its stored
    /// contribution is taken out before the merged row's goes in.
    /// </summary>
    public List<SpanSummary> UpsertSpans(string projectId, IReadOnlyList<PreparedSpan> spans, Dictionary<string, BatchTrace> traces, RollupDeltas deltas)
    {
        var summaries = new List<SpanSummary>(spans.Count);
        _span.Bind(_sProject, projectId);
        foreach (var ps in spans)
        {
            var s = ps.Input;
            var trace = traces[ps.TraceId];
            var stored = trace.Rollup is { } known && !known.Contains(s.SpanId!) ? null : Stored(projectId, trace.Pk, s.SpanId!);
            if (stored is { } old) deltas.Add(old, -1);
            else deltas.AddCounts(projectId, 0, 1);
            _span.Bind(_sTracePk, trace.Pk);
            _span.Bind(_sTrace, ps.TraceId);
            _span.Bind(_sSpan, s.SpanId!);
            _span.Bind(_sParent, s.ParentSpanId);
            _span.Bind(_sName, s.Name ?? "");
            _span.Bind(_sKind, s.Kind ?? Vigil.Core.Traces.SpanKind.Custom);
            _span.Bind(_sStatus, s.Status ?? Vigil.Core.Traces.SpanStatus.Unset);
            _span.Bind(_sInput, s.Input);
            _span.Bind(_sOutput, s.Output);
            _span.Bind(_sMetadata, s.Metadata);
            _span.Bind(_sEvents, s.Events);
            _span.Bind(_sStart, ps.StartUs);
            _span.Bind(_sEnd, ps.EndUs);
            _span.Bind(_sDuration, ps.DurationMs);
            _span.Bind(_sModel, s.Model);
            _span.Bind(_sProvider, ps.Provider);
            _span.Bind(_sInTokens, s.InputTokens);
            _span.Bind(_sOutTokens, s.OutputTokens);
            _span.Bind(_sCost, ps.CostUsd);
            _span.Bind(_sNameGiven, s.Name is not null);
            _span.Bind(_sKindGiven, s.Kind is not null);
            _span.Bind(_sStatusGiven, s.Status is not null);
            _span.Bind(_sStartGiven, s.StartTime is not null);
            try
            {
                _span.Step();
                var r = _span;
                // The merged name, kind and status are the sent ones unless this was an update without them.
                string name = s.Name ?? r.Text(1)!, status = s.Status ?? r.Text(3)!;
                string? parent = r.Text(0), model = s.Model ?? r.Text(7);
                long startUs = r.Int64(4);
                long? endUs = r.NullableInt64(5), inputTokens = r.NullableInt64(8), outputTokens = r.NullableInt64(9);
                double? costUsd = r.NullableDouble(10);
                // An update is indexed again only when it sent some of the indexed text.
                if (stored is null) TextIndex.SpanInserted(r.Int64(11), s.Name ?? "", s.Input, s.Output);
                else if (s.Name is not null || s.Input is not null || s.Output is not null) TextIndex.SpanUpdated(r.Int64(11));
                trace.Rollup?.Add(s.SpanId!, parent, name, status, startUs, endUs, model, inputTokens, outputTokens, costUsd);
                deltas.Add(new SpanContribution(projectId, startUs, endUs, s.Kind ?? r.Text(2)!, model, status, inputTokens, outputTokens, costUsd), 1);
                summaries.Add(new SpanSummary(
                    ps.TraceId, s.SpanId!, parent, name, s.Kind ?? r.Text(2)!, status,
                    UnixMicros.ToDateTime(startUs),
                    endUs is { } end ? UnixMicros.ToDateTime(end) : null,
                    r.NullableDouble(6), model, inputTokens, outputTokens, costUsd));
            }
            finally { _span.Reset(); }
        }
        return summaries;
    }

    /// <summary>What the stored span contributes to the rollups; null when it is not stored.</summary>
    private SpanContribution? Stored(string projectId, long tracePk, string spanId)
    {
        _stored.Bind(_oTracePk, tracePk);
        _stored.Bind(_oSpan, spanId);
        try
        {
            if (!_stored.Step()) return null;
            var o = _stored;
            return new SpanContribution(projectId, o.Int64(0), o.NullableInt64(1), o.Text(2)!, o.Text(3), o.Text(4)!,
                o.NullableInt64(5), o.NullableInt64(6), o.NullableDouble(7));
        }
        finally { _stored.Reset(); }
    }

    /// <summary>
    /// Brings each trace's rollup up to date: from the batch for traces it created, else from all stored spans. What the
    /// traces with a session or user changed goes into <paramref name="deltas"/>.
    /// </summary>
    public List<TraceSummary> RefreshTraces(string projectId, IReadOnlyList<string> traceIds, Dictionary<string, BatchTrace> traces, long nowUs, SessionDeltas deltas)
    {
        var result = new List<TraceSummary>(traceIds.Count);
        foreach (var id in traceIds)
        {
            var trace = traces[id];
            var statement = trace.Rollup is { Usable: true } rollup ? BindRollup(trace.Pk, rollup, nowUs) : BindRefresh(trace.Pk, nowUs);
            try
            {
                if (!statement.Step()) continue;
                var r = statement;
                long startUs = r.Int64(2), inTokens = r.Int64(7), outTokens = r.Int64(8);
                long? endUs = r.NullableInt64(3);
                int errors = (int)r.Int64(6);
                double cost = r.Double(9);
                string? name = r.Text(0), models = r.Text(10);
                if (trace.Created) TextIndex.Trace(trace.Pk, false, name, models);
                else if (trace.NameSent || name != trace.IndexedName || models != trace.IndexedModels) TextIndex.Trace(trace.Pk, true, name, models);
                result.Add(new TraceSummary(
                    id,
                    name,
                    r.Text(1)!,
                    UnixMicros.ToDateTime(startUs),
                    endUs is { } end ? UnixMicros.ToDateTime(end) : null,
                    r.NullableDouble(4),
                    (int)r.Int64(5), errors, inTokens, outTokens, cost,
                    trace.Created, trace.SessionId, trace.UserId));
                deltas.Add(projectId, trace.Before, new TraceState(trace.SessionId, trace.UserId, errors, inTokens, outTokens, cost, startUs, endUs));
            }
            finally { statement.Reset(); }
        }
        return result;
    }

    private NativeStatement BindRefresh(long pk, long nowUs)
    {
        _refresh.Bind(_rTracePk, pk);
        _refresh.Bind(_rNow, nowUs);
        return _refresh;
    }

    private NativeStatement BindRollup(long pk, TraceRollup rollup, long nowUs)
    {
        var u = _setRollup;
        u.Bind(_uTracePk, pk);
        u.Bind(_uNow, nowUs);
        u.Bind(_uSpanCount, (long)rollup.SpanCount);
        u.Bind(_uErrorCount, (long)rollup.ErrorCount);
        u.Bind(_uInTokens, rollup.InputTokens);
        u.Bind(_uOutTokens, rollup.OutputTokens);
        u.Bind(_uCost, rollup.CostUsd);
        u.Bind(_uStart, rollup.StartUs);
        u.Bind(_uEnd, rollup.EndUs);
        u.Bind(_uDuration, rollup.DurationMs);
        u.Bind(_uModels, rollup.Models);
        u.Bind(_uRootName, rollup.RootName);
        u.Bind(_uRootStatus, rollup.RootStatus);
        return u;
    }

    public void Dispose()
    {
        _trace.Dispose();
        _span.Dispose();
        _refresh.Dispose();
        _setRollup.Dispose();
        _stored.Dispose();
        TextIndex.Dispose();
    }
}
