using Microsoft.Data.Sqlite;
using Vigil.Core.Live;
using Vigil.Core.Storage;

namespace Vigil.Core.Ingest;

/// <summary>
/// Writes a validated batch with statements prepared once on the writer connection's native SQLite handle (no EF
/// change tracking, no ADO.NET parameter objects): this is the hottest loop of the server. Runs inside the caller's
/// transaction. Returns what the live feed needs, read back from the rows as merged by the upserts.
/// </summary>
internal sealed class IngestWriter : IDisposable
{
    private readonly NativeStatement _trace;
    private readonly NativeStatement _span;
    private readonly NativeStatement _refresh;

    // Parameter positions, resolved once.
    private readonly int _tProject, _tTrace, _tName, _tNameExplicit, _tExternal, _tMetadata, _tStart, _tNow;
    private readonly int _sTracePk, _sProject, _sTrace, _sSpan, _sParent, _sName, _sKind, _sStatus, _sInput, _sOutput, _sMetadata,
        _sEvents, _sStart, _sEnd, _sDuration, _sModel, _sProvider, _sInTokens, _sOutTokens, _sCost,
        _sNameGiven, _sKindGiven, _sStatusGiven, _sStartGiven;
    private readonly int _rTracePk, _rNow;

    public IngestWriter(SqliteConnection connection)
    {
        _trace = new NativeStatement(connection, IngestSql.UpsertTrace);
        _span = new NativeStatement(connection, IngestSql.UpsertSpan);
        _refresh = new NativeStatement(connection, IngestSql.RefreshTrace);

        _tProject = _trace.Parameter("@project_id");
        _tTrace = _trace.Parameter("@trace_id");
        _tName = _trace.Parameter("@name");
        _tNameExplicit = _trace.Parameter("@name_explicit");
        _tExternal = _trace.Parameter("@external_id");
        _tMetadata = _trace.Parameter("@metadata");
        _tStart = _trace.Parameter("@start_time_us");
        _tNow = _trace.Parameter("@now_us");

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

        _rTracePk = _refresh.Parameter("@trace_pk");
        _rNow = _refresh.Parameter("@now_us");
    }

    public record struct TraceHeader(string TraceId, string? Name, string? ExternalId, string? Metadata, long StartUs);

    /// <summary>The row id of each trace of the batch, and whether this batch created it.</summary>
    public readonly record struct TraceRow(long Pk, bool Created);

    /// <summary>Upserts the trace rows (spans need their row ids).</summary>
    public Dictionary<string, TraceRow> UpsertTraces(string projectId, IReadOnlyList<TraceHeader> traces, long nowUs)
    {
        var rows = new Dictionary<string, TraceRow>(traces.Count, StringComparer.Ordinal);
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
            try
            {
                _trace.Step();
                rows[t.TraceId] = new TraceRow(_trace.Int64(0), _trace.Int64(1) == nowUs);
            }
            finally { _trace.Reset(); }
        }
        return rows;
    }

    public List<SpanSummary> UpsertSpans(string projectId, IReadOnlyList<PreparedSpan> spans, Dictionary<string, TraceRow> traces)
    {
        var summaries = new List<SpanSummary>(spans.Count);
        _span.Bind(_sProject, projectId);
        foreach (var ps in spans)
        {
            var s = ps.Input;
            _span.Bind(_sTracePk, traces[ps.TraceId].Pk);
            _span.Bind(_sTrace, ps.TraceId);
            _span.Bind(_sSpan, s.SpanId!);
            _span.Bind(_sParent, s.ParentSpanId);
            _span.Bind(_sName, s.Name ?? "");
            _span.Bind(_sKind, s.Kind ?? Traces.SpanKind.Custom);
            _span.Bind(_sStatus, s.Status ?? Traces.SpanStatus.Unset);
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
                summaries.Add(new SpanSummary(
                    ps.TraceId, s.SpanId!,
                    r.Text(0),
                    // The merged name, kind and status are the sent ones unless this was an update without them.
                    s.Name ?? r.Text(1)!, s.Kind ?? r.Text(2)!, s.Status ?? r.Text(3)!,
                    UnixMicros.ToDateTime(r.Int64(4)),
                    r.NullableInt64(5) is { } end ? UnixMicros.ToDateTime(end) : null,
                    r.NullableDouble(6),
                    s.Model ?? r.Text(7),
                    r.NullableInt64(8),
                    r.NullableInt64(9),
                    r.NullableDouble(10)));
            }
            finally { _span.Reset(); }
        }
        return summaries;
    }

    public List<TraceSummary> RefreshTraces(IReadOnlyList<string> traceIds, Dictionary<string, TraceRow> traces, long nowUs)
    {
        var result = new List<TraceSummary>(traceIds.Count);
        _refresh.Bind(_rNow, nowUs);
        foreach (var id in traceIds)
        {
            var row = traces[id];
            _refresh.Bind(_rTracePk, row.Pk);
            try
            {
                if (!_refresh.Step()) continue;
                var r = _refresh;
                result.Add(new TraceSummary(
                    id,
                    r.Text(0),
                    r.Text(1)!,
                    UnixMicros.ToDateTime(r.Int64(2)),
                    r.NullableInt64(3) is { } end ? UnixMicros.ToDateTime(end) : null,
                    r.NullableDouble(4),
                    (int)r.Int64(5), (int)r.Int64(6), r.Int64(7), r.Int64(8), r.Double(9),
                    row.Created));
            }
            finally { _refresh.Reset(); }
        }
        return result;
    }

    public void Dispose()
    {
        _trace.Dispose();
        _span.Dispose();
        _refresh.Dispose();
    }
}
