namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// The hand-written upserts of the ingest path: standard <c>INSERT … ON CONFLICT … DO UPDATE … RETURNING</c>
/// (SQLite 3.44+ for the ordered aggregate). Spans refer to their trace by its row id
/// (<c>trace_pk</c>), which the trace upsert returns.
/// </summary>
internal static class SqliteIngestSql
{
    /// <summary>
    /// Returns the row id; a span count of 0 means this batch inserted the row (a stored trace always has spans: they are
    /// written in the same transaction). For an existing trace it also returns what it added to its session and user before this batch (the
    /// rollup and session/user columns are left alone here). A new trace gets the batch's session and user on insert; an
    /// existing one gets changed ones from <c>SqliteSessionSql.SetTraceSessionUser</c>, so the old values are known.
    /// </summary>
    public const string UpsertTrace = """
        INSERT INTO traces (project_id, trace_id, name, name_explicit, status, status_explicit, external_id, metadata,
                            start_time_us, end_time_us, created_at_us, updated_at_us, span_count, error_count,
                            input_tokens, output_tokens, cost_usd, session_id, user_id)
        VALUES (@project_id, @trace_id, @name, @name_explicit, 'unset', 0, @external_id, @metadata,
                @start_time_us, NULL, @now_us, @now_us, 0, 0, 0, 0, 0, @session_id, @user_id)
        ON CONFLICT (project_id, trace_id) DO UPDATE SET
            name = CASE WHEN excluded.name_explicit THEN excluded.name ELSE traces.name END,
            name_explicit = (excluded.name_explicit OR traces.name_explicit),
            external_id = COALESCE(excluded.external_id, traces.external_id),
            metadata = COALESCE(excluded.metadata, traces.metadata),
            updated_at_us = excluded.updated_at_us
        RETURNING id, session_id, user_id, error_count, input_tokens, output_tokens, cost_usd, start_time_us, end_time_us, span_count, name, models
        """;

    // Non-null fields win: a span sent at start and again at end ends up complete. Name, kind, status and start time
    // always have a value on insert, so "was it sent" travels in separate flags.
    public const string UpsertSpan = """
        INSERT INTO spans (trace_pk, project_id, trace_id, span_id, parent_span_id, name, kind, status, input, output, metadata, events,
                           start_time_us, end_time_us, duration_ms, model, provider, input_tokens, output_tokens, cost_usd)
        VALUES (@trace_pk, @project_id, @trace_id, @span_id, @parent_span_id, @name, @kind, @status, @input, @output, @metadata, @events,
                @start_time_us, @end_time_us, @duration_ms, @model, @provider, @input_tokens, @output_tokens, @cost_usd)
        ON CONFLICT (trace_pk, span_id) DO UPDATE SET
            parent_span_id = COALESCE(excluded.parent_span_id, spans.parent_span_id),
            name = CASE WHEN @name_given THEN excluded.name ELSE spans.name END,
            kind = CASE WHEN @kind_given THEN excluded.kind ELSE spans.kind END,
            status = CASE WHEN @status_given THEN excluded.status ELSE spans.status END,
            input = COALESCE(excluded.input, spans.input),
            output = COALESCE(excluded.output, spans.output),
            metadata = COALESCE(excluded.metadata, spans.metadata),
            events = COALESCE(excluded.events, spans.events),
            start_time_us = CASE WHEN @start_given THEN excluded.start_time_us ELSE spans.start_time_us END,
            end_time_us = COALESCE(excluded.end_time_us, spans.end_time_us),
            duration_ms = CASE WHEN COALESCE(excluded.end_time_us, spans.end_time_us) IS NULL THEN NULL
                          ELSE (COALESCE(excluded.end_time_us, spans.end_time_us)
                                - CASE WHEN @start_given THEN excluded.start_time_us ELSE spans.start_time_us END) / 1000.0 END,
            model = COALESCE(excluded.model, spans.model),
            provider = COALESCE(excluded.provider, spans.provider),
            input_tokens = COALESCE(excluded.input_tokens, spans.input_tokens),
            output_tokens = COALESCE(excluded.output_tokens, spans.output_tokens),
            cost_usd = COALESCE(excluded.cost_usd, spans.cost_usd)
        RETURNING parent_span_id, name, kind, status, start_time_us, end_time_us, duration_ms, model, input_tokens, output_tokens, cost_usd, id
        """;

    /// <summary>The columns of a stored span that the metric rollups sum (<c>SpanContribution</c>), before it is updated.</summary>
    public const string StoredSpan = """
        SELECT start_time_us, end_time_us, kind, model, status, input_tokens, output_tokens, cost_usd
        FROM spans WHERE trace_pk = @trace_pk AND span_id = @span_id
        """;

    /// <summary>
    /// The rollup of a trace created by this batch, computed while writing its spans (<see cref="TraceRollup"/>);
    /// name and status follow the same rules as <see cref="RefreshTrace"/>.
    /// </summary>
    public const string SetTraceRollup = """
        UPDATE traces SET
            span_count = @span_count,
            error_count = @error_count,
            input_tokens = @input_tokens,
            output_tokens = @output_tokens,
            cost_usd = @cost_usd,
            start_time_us = @start_time_us,
            end_time_us = @end_time_us,
            duration_ms = @duration_ms,
            models = @models,
            name = CASE WHEN traces.name_explicit THEN traces.name ELSE COALESCE(@root_name, traces.name) END,
            status = CASE WHEN traces.status_explicit THEN traces.status
                          WHEN @error_count > 0 THEN 'error'
                          WHEN @root_status = 'ok' THEN 'ok'
                          ELSE 'unset' END,
            updated_at_us = @now_us
        WHERE traces.id = @trace_pk
        RETURNING name, status, start_time_us, end_time_us, duration_ms, span_count, error_count, input_tokens, output_tokens, cost_usd, models
        """;

    /// <summary>Recomputes a trace's rollup from all its stored spans (a trace that had spans before this batch).</summary>
    public const string RefreshTrace = """
        UPDATE traces SET
            span_count = agg.n,
            error_count = agg.errors,
            input_tokens = agg.in_tok,
            output_tokens = agg.out_tok,
            cost_usd = agg.cost,
            start_time_us = agg.start_us,
            end_time_us = agg.end_us,
            duration_ms = CASE WHEN agg.end_us IS NULL THEN NULL ELSE (agg.end_us - agg.start_us) / 1000.0 END,
            models = agg.models,
            name = CASE WHEN traces.name_explicit THEN traces.name
                        ELSE COALESCE((SELECT r.name FROM spans r WHERE r.trace_pk = traces.id
                                       AND r.parent_span_id IS NULL ORDER BY r.start_time_us LIMIT 1), traces.name) END,
            status = CASE WHEN traces.status_explicit THEN traces.status
                          WHEN agg.errors > 0 THEN 'error'
                          WHEN (SELECT r.status FROM spans r WHERE r.trace_pk = traces.id
                                AND r.parent_span_id IS NULL ORDER BY r.start_time_us LIMIT 1) = 'ok' THEN 'ok'
                          ELSE 'unset' END,
            updated_at_us = @now_us
        FROM (SELECT COUNT(*) AS n,
                     SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END) AS errors,
                     COALESCE(SUM(input_tokens), 0) AS in_tok,
                     COALESCE(SUM(output_tokens), 0) AS out_tok,
                     COALESCE(SUM(cost_usd), 0) AS cost,
                     MIN(start_time_us) AS start_us,
                     MAX(end_time_us) AS end_us,
                     group_concat(DISTINCT model ORDER BY model) AS models
              FROM spans WHERE trace_pk = @trace_pk) AS agg
        WHERE traces.id = @trace_pk
        RETURNING name, status, start_time_us, end_time_us, duration_ms, span_count, error_count, input_tokens, output_tokens, cost_usd, models
        """;
}
