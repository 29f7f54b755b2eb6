using Npgsql;
using NpgsqlTypes;
using Vigil.Core.Ingest;
using Vigil.Core.Live;
using Vigil.Core.Sessions;
using Vigil.Core.Metrics;
using Vigil.Core.Traces;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// One PostgreSQL writer connection. A whole group of batches is written with three statements in one transaction
/// (<see cref="PostgresIngestSql"/>): traces, spans, rollups, each with its rows passed as arrays. Results are split back
/// per batch, in the order the SQLite writer answers them.
/// </summary>
internal sealed class PostgresIngestWriter(NpgsqlDataSource dataSource, IngestWriterTimings timings, int shard) : IIngestWriter
{
    private NpgsqlConnection? _connection;
    private readonly RollupDeltas _deltas = new();

    public async ValueTask<WriteResult[]> WriteAsync(IReadOnlyList<WriteJob> group, CancellationToken ct)
    {
        _connection ??= await dataSource.OpenConnectionAsync(ct);
        await using var tx = await _connection.BeginTransactionAsync(ct);
        var nowUs = group[^1].NowUs;
        _deltas.Clear();
        var t = System.Diagnostics.Stopwatch.GetTimestamp();
        var traces = await UpsertTracesAsync(group, nowUs, ct);
        timings.Add(0, t);
        t = System.Diagnostics.Stopwatch.GetTimestamp();
        var spanResults = await UpsertSpansAsync(group, traces, ct);
        timings.Add(1, t);
        t = System.Diagnostics.Stopwatch.GetTimestamp();
        var rollups = await RefreshRollupsAsync(traces, nowUs, ct);
        timings.Add(2, t);
        t = System.Diagnostics.Stopwatch.GetTimestamp();
        await PostgresRollupWriter.ApplyAsync(_connection, _deltas, shard, ct);
        timings.Add(3, t);
        t = System.Diagnostics.Stopwatch.GetTimestamp();
        var sessionDeltas = SessionChanges(traces, rollups);
        if (!sessionDeltas.IsEmpty) await PostgresSessionWriter.ApplyAsync(_connection, sessionDeltas, nowUs, ct);
        timings.Add(4, t);
        t = System.Diagnostics.Stopwatch.GetTimestamp();
        await tx.CommitAsync(ct);
        timings.Add(5, t);
        timings.Group(group.Sum(j => j.Spans.Count));

        var results = new WriteResult[group.Count];
        for (var j = 0; j < group.Count; j++)
        {
            var job = group[j];
            var summaries = new List<TraceSummary>(job.TraceIds.Count);
            foreach (var id in job.TraceIds)
            {
                var trace = traces[(job.ProjectId, id)];
                if (rollups.TryGetValue(trace.Pk, out var r))
                    summaries.Add(r with { TraceId = id, IsNew = trace.Created && trace.FirstJob == j, SessionId = trace.SessionId, UserId = trace.UserId });
            }
            results[j] = new WriteResult(spanResults[j], summaries);
        }
        return results;
    }

    /// <summary>A trace of the group: its row id, whether this group created it, and (if so) its rollup as the spans are written.</summary>
    private sealed class GroupTrace(int firstJob)
    {
        public int FirstJob { get; } = firstJob;
        public bool InOneJob { get; set; } = true;
        public string? Name, ExternalId, Metadata;
        /// <summary>The group's session and user for the trace (cleaned), then after the upsert the trace's own.</summary>
        public string? SessionId, UserId;
        public long StartUs;
        public long Pk;
        public bool Created;
        public TraceRollup? Rollup;
        /// <summary>What the trace added to its session and user when locked; null for a trace this group created.</summary>
        public TraceState? Before;
    }

    /// <summary>What the group changed in sessions and users: each trace's state when locked against its new rollup.</summary>
    private static SessionDeltas SessionChanges(Dictionary<(string, string), GroupTrace> traces, Dictionary<long, TraceSummary> rollups)
    {
        var deltas = new SessionDeltas();
        foreach (var ((project, _), t) in traces)
        {
            if (t.Before is not { HasSessionOrUser: true } && t.SessionId is null && t.UserId is null) continue;
            if (!rollups.TryGetValue(t.Pk, out var r)) continue;
            deltas.Add(project, t.Before, new TraceState(t.SessionId, t.UserId, r.ErrorCount, r.InputTokens, r.OutputTokens, r.CostUsd,
                UnixMicros.From(r.StartTime), r.EndTime is { } end ? UnixMicros.From(end) : null));
        }
        return deltas;
    }

    private async Task<Dictionary<(string, string), GroupTrace>> UpsertTracesAsync(IReadOnlyList<WriteJob> group, long nowUs, CancellationToken ct)
    {
        // One row per trace of the group; batch-level fields merge the way consecutive upserts would (last sent wins).
        var traces = new Dictionary<(string, string), GroupTrace>();
        for (var j = 0; j < group.Count; j++)
            foreach (var h in group[j].Headers)
            {
                var key = (group[j].ProjectId, h.TraceId);
                if (!traces.TryGetValue(key, out var t)) traces[key] = t = new GroupTrace(j) { StartUs = h.StartUs };
                else if (t.FirstJob != j) t.InOneJob = false;
                t.Name = h.Name ?? t.Name;
                t.ExternalId = h.ExternalId ?? t.ExternalId;
                t.Metadata = PostgresText.Json(h.Metadata) ?? t.Metadata;
                t.SessionId = PostgresText.Clean(h.SessionId) ?? t.SessionId;
                t.UserId = PostgresText.Clean(h.UserId) ?? t.UserId;
            }

        var n = traces.Count;
        string[] projects = new string[n], ids = new string[n];
        string?[] names = new string?[n], externals = new string?[n], metadata = new string?[n], sessions = new string?[n], users = new string?[n];
        var starts = new long[n];
        var i = 0;
        foreach (var ((project, id), t) in traces)
        {
            projects[i] = project;
            ids[i] = PostgresText.Clean(id)!;
            names[i] = PostgresText.Clean(t.Name);
            externals[i] = PostgresText.Clean(t.ExternalId);
            metadata[i] = t.Metadata;
            starts[i] = t.StartUs;
            sessions[i] = t.SessionId;
            users[i] = t.UserId;
            i++;
        }

        await using var cmd = new NpgsqlCommand(PostgresIngestSql.UpsertTraces, _connection);
        cmd.Parameters.Add(new NpgsqlParameter<long>("now_us", nowUs));
        cmd.Parameters.Add(Array("project_id", NpgsqlDbType.Text, projects));
        cmd.Parameters.Add(Array("trace_id", NpgsqlDbType.Text, ids));
        cmd.Parameters.Add(Array("name", NpgsqlDbType.Text, names));
        cmd.Parameters.Add(Array("external_id", NpgsqlDbType.Text, externals));
        cmd.Parameters.Add(Array("metadata", NpgsqlDbType.Jsonb, metadata));
        cmd.Parameters.Add(Array("start_time_us", NpgsqlDbType.Bigint, starts));
        cmd.Parameters.Add(Array("session_id", NpgsqlDbType.Text, sessions));
        cmd.Parameters.Add(Array("user_id", NpgsqlDbType.Text, users));
        var byCleanId = traces.ToDictionary(kv => (kv.Key.Item1, PostgresText.Clean(kv.Key.Item2)!), kv => kv.Value);
        var changed = new List<(long, string?, string?)>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                var t = byCleanId[(r.GetString(1), r.GetString(2))];
                t.Pk = r.GetInt64(0);
                t.Created = r.GetBoolean(3);
                if (t.Created) _deltas.AddCounts(r.GetString(1), 1, 0);
                if (t.Created && t.InOneJob) t.Rollup = new TraceRollup();
                if (t.Created) continue;
                var before = new TraceState(r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt32(6),
                    r.GetInt64(7), r.GetInt64(8), r.GetDouble(9), r.GetInt64(10), r.IsDBNull(11) ? null : r.GetInt64(11));
                t.Before = before;
                var (sent, sentUser) = (t.SessionId, t.UserId);
                t.SessionId ??= before.SessionId;
                t.UserId ??= before.UserId;
                if (t.SessionId != before.SessionId || t.UserId != before.UserId) changed.Add((t.Pk, sent, sentUser));
            }
        await PostgresSessionWriter.SetTraceSessionUserAsync(_connection!, changed, ct);
        return traces;
    }

    private async Task<List<SpanSummary>[]> UpsertSpansAsync(IReadOnlyList<WriteJob> group, Dictionary<(string, string), GroupTrace> traces, CancellationToken ct)
    {
        // A span key may appear only once per statement: repeats (a span sent at start and at end in the same group)
        // go to later rounds, which apply them in order exactly as consecutive upserts would.
        var rounds = new List<List<(int Job, int Index)>> { new() };
        var seen = new Dictionary<(long, string), int>();
        for (var j = 0; j < group.Count; j++)
            for (var s = 0; s < group[j].Spans.Count; s++)
            {
                var ps = group[j].Spans[s];
                var key = (traces[(group[j].ProjectId, ps.TraceId)].Pk, ps.Input.SpanId!);
                var round = seen.TryGetValue(key, out var last) ? last + 1 : 0;
                seen[key] = round;
                if (round == rounds.Count) rounds.Add([]);
                rounds[round].Add((j, s));
            }

        var merged = new SpanSummary[group.Count][];
        for (var j = 0; j < group.Count; j++) merged[j] = new SpanSummary[group[j].Spans.Count];
        foreach (var round in rounds) await UpsertRoundAsync(group, traces, round, merged, ct);

        // The in-memory rollups add spans in the order the batches sent them, like the SQLite writer (root ties: first sent).
        for (var j = 0; j < group.Count; j++)
            for (var s = 0; s < merged[j].Length; s++)
            {
                var trace = traces[(group[j].ProjectId, group[j].Spans[s].TraceId)];
                var m = merged[j][s];
                trace.Rollup?.Add(m.SpanId, m.ParentSpanId, m.Name, m.Status, UnixMicros.From(m.StartTime), m.EndTime is { } e ? UnixMicros.From(e) : null,
                    m.Model, m.InputTokens, m.OutputTokens, m.CostUsd);
            }
        return [.. merged.Select(m => m.ToList())];
    }

    private async Task UpsertRoundAsync(IReadOnlyList<WriteJob> group, Dictionary<(string, string), GroupTrace> traces,
        List<(int Job, int Index)> round, SpanSummary[][] merged, CancellationToken ct)
    {
        var n = round.Count;
        var tracePk = new long[n];
        string[] projects = new string[n], traceIds = new string[n], spanIds = new string[n], names = new string[n], kinds = new string[n], statuses = new string[n];
        string?[] parents = new string?[n], inputs = new string?[n], outputs = new string?[n], metadata = new string?[n], events = new string?[n],
            models = new string?[n], providers = new string?[n];
        var starts = new long[n];
        long?[] ends = new long?[n], inTokens = new long?[n], outTokens = new long?[n];
        double?[] durations = new double?[n], costs = new double?[n];
        bool[] nameGiven = new bool[n], kindGiven = new bool[n], statusGiven = new bool[n], startGiven = new bool[n];
        var index = new Dictionary<(long, string), int>(n);
        for (var i = 0; i < n; i++)
        {
            var (j, k) = round[i];
            var ps = group[j].Spans[k];
            var s = ps.Input;
            tracePk[i] = traces[(group[j].ProjectId, ps.TraceId)].Pk;
            projects[i] = group[j].ProjectId;
            traceIds[i] = PostgresText.Clean(ps.TraceId)!;
            spanIds[i] = PostgresText.Clean(s.SpanId)!;
            parents[i] = PostgresText.Clean(s.ParentSpanId);
            names[i] = PostgresText.Clean(s.Name ?? "")!;
            kinds[i] = s.Kind ?? SpanKind.Custom;
            statuses[i] = s.Status ?? SpanStatus.Unset;
            inputs[i] = PostgresText.Json(s.Input);
            outputs[i] = PostgresText.Json(s.Output);
            metadata[i] = PostgresText.Json(s.Metadata);
            events[i] = PostgresText.Json(s.Events);
            starts[i] = ps.StartUs;
            ends[i] = ps.EndUs;
            durations[i] = ps.DurationMs;
            models[i] = PostgresText.Clean(s.Model);
            providers[i] = PostgresText.Clean(ps.Provider);
            inTokens[i] = s.InputTokens;
            outTokens[i] = s.OutputTokens;
            costs[i] = ps.CostUsd;
            nameGiven[i] = s.Name is not null;
            kindGiven[i] = s.Kind is not null;
            statusGiven[i] = s.Status is not null;
            startGiven[i] = s.StartTime is not null;
            index[(tracePk[i], spanIds[i])] = i;
        }

        await using var cmd = new NpgsqlCommand(PostgresIngestSql.UpsertSpans, _connection);
        cmd.Parameters.Add(Array("trace_pk", NpgsqlDbType.Bigint, tracePk));
        cmd.Parameters.Add(Array("project_id", NpgsqlDbType.Text, projects));
        cmd.Parameters.Add(Array("trace_id", NpgsqlDbType.Text, traceIds));
        cmd.Parameters.Add(Array("span_id", NpgsqlDbType.Text, spanIds));
        cmd.Parameters.Add(Array("parent_span_id", NpgsqlDbType.Text, parents));
        cmd.Parameters.Add(Array("name", NpgsqlDbType.Text, names));
        cmd.Parameters.Add(Array("kind", NpgsqlDbType.Text, kinds));
        cmd.Parameters.Add(Array("status", NpgsqlDbType.Text, statuses));
        cmd.Parameters.Add(Array("input", NpgsqlDbType.Jsonb, inputs));
        cmd.Parameters.Add(Array("output", NpgsqlDbType.Jsonb, outputs));
        cmd.Parameters.Add(Array("metadata", NpgsqlDbType.Jsonb, metadata));
        cmd.Parameters.Add(Array("events", NpgsqlDbType.Jsonb, events));
        cmd.Parameters.Add(Array("start_time_us", NpgsqlDbType.Bigint, starts));
        cmd.Parameters.Add(Array("end_time_us", NpgsqlDbType.Bigint, ends));
        cmd.Parameters.Add(Array("duration_ms", NpgsqlDbType.Double, durations));
        cmd.Parameters.Add(Array("model", NpgsqlDbType.Text, models));
        cmd.Parameters.Add(Array("provider", NpgsqlDbType.Text, providers));
        cmd.Parameters.Add(Array("input_tokens", NpgsqlDbType.Bigint, inTokens));
        cmd.Parameters.Add(Array("output_tokens", NpgsqlDbType.Bigint, outTokens));
        cmd.Parameters.Add(Array("cost_usd", NpgsqlDbType.Double, costs));
        cmd.Parameters.Add(Array("name_given", NpgsqlDbType.Boolean, nameGiven));
        cmd.Parameters.Add(Array("kind_given", NpgsqlDbType.Boolean, kindGiven));
        cmd.Parameters.Add(Array("status_given", NpgsqlDbType.Boolean, statusGiven));
        cmd.Parameters.Add(Array("start_given", NpgsqlDbType.Boolean, startGiven));

        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var i = index[(r.GetInt64(0), r.GetString(1))];
            var (j, k) = round[i];
            var project = group[j].ProjectId;
            if (r.GetBoolean(13)) _deltas.AddCounts(project, 0, 1);
            else _deltas.Add(new SpanContribution(project, r.GetInt64(14), r.IsDBNull(15) ? null : r.GetInt64(15), r.GetString(16),
                r.IsDBNull(17) ? null : r.GetString(17), r.GetString(18), r.IsDBNull(19) ? null : r.GetInt64(19),
                r.IsDBNull(20) ? null : r.GetInt64(20), r.IsDBNull(21) ? null : r.GetDouble(21)), -1);
            _deltas.Add(new SpanContribution(project, r.GetInt64(6), r.IsDBNull(7) ? null : r.GetInt64(7), r.GetString(4),
                r.IsDBNull(9) ? null : r.GetString(9), r.GetString(5), r.IsDBNull(10) ? null : r.GetInt64(10),
                r.IsDBNull(11) ? null : r.GetInt64(11), r.IsDBNull(12) ? null : r.GetDouble(12)), 1);
            merged[j][k] = new SpanSummary(
                group[j].Spans[k].TraceId, group[j].Spans[k].Input.SpanId!,
                r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                UnixMicros.ToDateTime(r.GetInt64(6)),
                r.IsDBNull(7) ? null : UnixMicros.ToDateTime(r.GetInt64(7)),
                r.IsDBNull(8) ? null : r.GetDouble(8),
                r.IsDBNull(9) ? null : r.GetString(9),
                r.IsDBNull(10) ? null : r.GetInt64(10),
                r.IsDBNull(11) ? null : r.GetInt64(11),
                r.IsDBNull(12) ? null : r.GetDouble(12));
        }
    }

    /// <summary>Every trace's rollup after this group, by row id: summed in memory for traces the group created, else from all stored spans.</summary>
    private async Task<Dictionary<long, TraceSummary>> RefreshRollupsAsync(Dictionary<(string, string), GroupTrace> traces, long nowUs, CancellationToken ct)
    {
        var result = new Dictionary<long, TraceSummary>(traces.Count);
        var summed = traces.Values.Where(t => t.Rollup is { Usable: true }).ToList();
        var refreshed = traces.Values.Where(t => t.Rollup is not { Usable: true }).Select(t => t.Pk).ToArray();
        if (summed.Count > 0)
        {
            await using var cmd = new NpgsqlCommand(PostgresIngestSql.SetRollups, _connection);
            cmd.Parameters.Add(new NpgsqlParameter<long>("now_us", nowUs));
            cmd.Parameters.Add(Array("id", NpgsqlDbType.Bigint, summed.Select(t => t.Pk).ToArray()));
            cmd.Parameters.Add(Array("span_count", NpgsqlDbType.Integer, summed.Select(t => t.Rollup!.SpanCount).ToArray()));
            cmd.Parameters.Add(Array("error_count", NpgsqlDbType.Integer, summed.Select(t => t.Rollup!.ErrorCount).ToArray()));
            cmd.Parameters.Add(Array("input_tokens", NpgsqlDbType.Bigint, summed.Select(t => t.Rollup!.InputTokens).ToArray()));
            cmd.Parameters.Add(Array("output_tokens", NpgsqlDbType.Bigint, summed.Select(t => t.Rollup!.OutputTokens).ToArray()));
            cmd.Parameters.Add(Array("cost_usd", NpgsqlDbType.Double, summed.Select(t => t.Rollup!.CostUsd).ToArray()));
            cmd.Parameters.Add(Array("start_time_us", NpgsqlDbType.Bigint, summed.Select(t => t.Rollup!.StartUs).ToArray()));
            cmd.Parameters.Add(Array("end_time_us", NpgsqlDbType.Bigint, summed.Select(t => t.Rollup!.EndUs).ToArray()));
            cmd.Parameters.Add(Array("duration_ms", NpgsqlDbType.Double, summed.Select(t => t.Rollup!.DurationMs).ToArray()));
            cmd.Parameters.Add(Array("models", NpgsqlDbType.Text, summed.Select(t => PostgresText.Clean(t.Rollup!.Models)).ToArray()));
            cmd.Parameters.Add(Array("root_name", NpgsqlDbType.Text, summed.Select(t => PostgresText.Clean(t.Rollup!.RootName)).ToArray()));
            cmd.Parameters.Add(Array("root_status", NpgsqlDbType.Text, summed.Select(t => t.Rollup!.RootStatus).ToArray()));
            await ReadRollupsAsync(cmd, result, ct);
        }
        if (refreshed.Length > 0)
        {
            await using var cmd = new NpgsqlCommand(PostgresIngestSql.RefreshRollups, _connection);
            cmd.Parameters.Add(new NpgsqlParameter<long>("now_us", nowUs));
            cmd.Parameters.Add(Array("id", NpgsqlDbType.Bigint, refreshed));
            await ReadRollupsAsync(cmd, result, ct);
        }
        return result;
    }

    private static async Task ReadRollupsAsync(NpgsqlCommand cmd, Dictionary<long, TraceSummary> into, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            into[r.GetInt64(0)] = new TraceSummary(
                "",
                r.IsDBNull(1) ? null : r.GetString(1),
                r.GetString(2),
                UnixMicros.ToDateTime(r.GetInt64(3)),
                r.IsDBNull(4) ? null : UnixMicros.ToDateTime(r.GetInt64(4)),
                r.IsDBNull(5) ? null : r.GetDouble(5),
                r.GetInt32(6), r.GetInt32(7), r.GetInt64(8), r.GetInt64(9), r.GetDouble(10),
                false);
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, T[] values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values };

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = null;
    }
}
