namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// The PostgreSQL ingest statements: one statement per step for a whole group of batches, rows passed as arrays and
/// expanded with <c>unnest</c> (one round trip, one plan, whatever the group's size). Same merge rules as SQLite's
/// (<c>SqliteIngestSql</c>): non-null fields win, name/kind/status/start only when sent.
/// </summary>
internal static class PostgresIngestSql
{
    /// <summary>
    /// Upserts the group's traces in (project, trace id) order. The row lock it takes on every trace is held until commit,
    /// so writers of the same trace (other writer loops, other Vigil instances) queue here, and each one's rollup, read
    /// after its spans are written, sees every span committed before it: rollups stay exact under concurrent batches.
    /// The sorted order keeps two writers from locking the same traces in opposite orders.
    /// </summary>
    /// <remarks>
    /// The returned session/user/rollup columns are the trace's as locked (this statement leaves them alone on an
    /// existing trace): what it added to its session and user before this group. A new trace gets its session and user
    /// on insert; an existing one gets changed ones from <see cref="SetTraceSessionUser"/>.
    /// </remarks>
    public const string UpsertTraces = """
        INSERT INTO traces (project_id, trace_id, name, name_explicit, status, status_explicit, external_id, metadata,
                            start_time_us, end_time_us, created_at_us, updated_at_us, span_count, error_count,
                            input_tokens, output_tokens, cost_usd, session_id, user_id)
        SELECT u.project_id, u.trace_id, u.name, u.name IS NOT NULL, 'unset', false, u.external_id, u.metadata,
               u.start_time_us, NULL, @now_us, @now_us, 0, 0, 0, 0, 0, u.session_id, u.user_id
        FROM unnest(@project_id, @trace_id, @name, @external_id, @metadata, @start_time_us, @session_id, @user_id)
             AS u(project_id, trace_id, name, external_id, metadata, start_time_us, session_id, user_id)
        ORDER BY u.project_id, u.trace_id
        ON CONFLICT (project_id, trace_id) DO UPDATE SET
            name = CASE WHEN excluded.name_explicit THEN excluded.name ELSE traces.name END,
            name_explicit = (excluded.name_explicit OR traces.name_explicit),
            external_id = COALESCE(excluded.external_id, traces.external_id),
            metadata = COALESCE(excluded.metadata, traces.metadata),
            updated_at_us = excluded.updated_at_us
        RETURNING id, project_id, trace_id, (xmax = 0) AS inserted,
                  session_id, user_id, error_count, input_tokens, output_tokens, cost_usd, start_time_us, end_time_us
        """;

    /// <summary>New sessions and users of existing traces (already locked by <see cref="UpsertTraces"/>); null keeps the stored one.</summary>
    public const string SetTraceSessionUser = """
        UPDATE traces t SET session_id = COALESCE(u.session_id, t.session_id), user_id = COALESCE(u.user_id, t.user_id)
        FROM unnest(@id, @session_id, @user_id) AS u(id, session_id, user_id)
        WHERE t.id = u.id
        """;

    /// <summary>
    /// Updates the spans that exist and inserts the rest, in one statement over one snapshot, answering each row's merged
    /// values, whether it was inserted, and an updated row's previous rollup columns. No other writer can add
    /// these spans meanwhile: their traces are locked by <see cref="UpsertTraces"/>. (INSERT … ON CONFLICT cannot do
    /// this: its update may only read the target row's columns, not the "was it sent" flags.) A span key appears at
    /// most once per call; the writer splits repeats into later calls.
    /// </summary>
    public const string UpsertSpans = """
        WITH u AS (
            SELECT * FROM unnest(@trace_pk, @project_id, @trace_id, @span_id, @parent_span_id, @name, @kind, @status,
                                 @input, @output, @metadata, @events, @start_time_us, @end_time_us, @duration_ms, @model, @provider,
                                 @input_tokens, @output_tokens, @cost_usd, @name_given, @kind_given, @status_given, @start_given)
                AS u(trace_pk, project_id, trace_id, span_id, parent_span_id, name, kind, status,
                     input, output, metadata, events, start_time_us, end_time_us, duration_ms, model, provider,
                     input_tokens, output_tokens, cost_usd, name_given, kind_given, status_given, start_given)
        ),
        upd AS (
            UPDATE spans s SET
                parent_span_id = COALESCE(u.parent_span_id, s.parent_span_id),
                name = CASE WHEN u.name_given THEN u.name ELSE s.name END,
                kind = CASE WHEN u.kind_given THEN u.kind ELSE s.kind END,
                status = CASE WHEN u.status_given THEN u.status ELSE s.status END,
                input = COALESCE(u.input, s.input),
                output = COALESCE(u.output, s.output),
                metadata = COALESCE(u.metadata, s.metadata),
                events = COALESCE(u.events, s.events),
                start_time_us = CASE WHEN u.start_given THEN u.start_time_us ELSE s.start_time_us END,
                end_time_us = COALESCE(u.end_time_us, s.end_time_us),
                duration_ms = CASE WHEN COALESCE(u.end_time_us, s.end_time_us) IS NULL THEN NULL
                              ELSE (COALESCE(u.end_time_us, s.end_time_us)
                                    - CASE WHEN u.start_given THEN u.start_time_us ELSE s.start_time_us END)::float8 / 1000 END,
                model = COALESCE(u.model, s.model),
                provider = COALESCE(u.provider, s.provider),
                input_tokens = COALESCE(u.input_tokens, s.input_tokens),
                output_tokens = COALESCE(u.output_tokens, s.output_tokens),
                cost_usd = COALESCE(u.cost_usd, s.cost_usd)
            FROM u, spans o -- o: the row as it was before this statement, for the rollups to take out
            WHERE s.trace_pk = u.trace_pk AND s.span_id = u.span_id AND o.id = s.id
            RETURNING s.trace_pk, s.span_id, s.parent_span_id, s.name, s.kind, s.status, s.start_time_us, s.end_time_us,
                      s.duration_ms, s.model, s.input_tokens, s.output_tokens, s.cost_usd, false AS inserted,
                      o.start_time_us AS old_start, o.end_time_us AS old_end, o.kind AS old_kind, o.model AS old_model,
                      o.status AS old_status, o.input_tokens AS old_in, o.output_tokens AS old_out, o.cost_usd AS old_cost
        ),
        ins AS (
            INSERT INTO spans (trace_pk, project_id, trace_id, span_id, parent_span_id, name, kind, status, input, output, metadata, events,
                               start_time_us, end_time_us, duration_ms, model, provider, input_tokens, output_tokens, cost_usd)
            SELECT u.trace_pk, u.project_id, u.trace_id, u.span_id, u.parent_span_id, u.name, u.kind, u.status, u.input, u.output,
                   u.metadata, u.events, u.start_time_us, u.end_time_us, u.duration_ms, u.model, u.provider, u.input_tokens,
                   u.output_tokens, u.cost_usd
            FROM u WHERE NOT EXISTS (SELECT 1 FROM spans s WHERE s.trace_pk = u.trace_pk AND s.span_id = u.span_id)
            RETURNING trace_pk, span_id, parent_span_id, name, kind, status, start_time_us, end_time_us,
                      duration_ms, model, input_tokens, output_tokens, cost_usd, true,
                      NULL::bigint, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint, NULL::float8
        )
        SELECT * FROM upd UNION ALL SELECT * FROM ins
        """;

    /// <summary>The rollups of traces created by this group, summed in memory from their spans' merged rows.</summary>
    public const string SetRollups = """
        UPDATE traces t SET
            span_count = u.span_count,
            error_count = u.error_count,
            input_tokens = u.input_tokens,
            output_tokens = u.output_tokens,
            cost_usd = u.cost_usd,
            start_time_us = u.start_time_us,
            end_time_us = u.end_time_us,
            duration_ms = u.duration_ms,
            models = u.models,
            name = CASE WHEN t.name_explicit THEN t.name ELSE COALESCE(u.root_name, t.name) END,
            status = CASE WHEN t.status_explicit THEN t.status
                          WHEN u.error_count > 0 THEN 'error'
                          WHEN u.root_status = 'ok' THEN 'ok'
                          ELSE 'unset' END,
            updated_at_us = @now_us
        FROM unnest(@id, @span_count, @error_count, @input_tokens, @output_tokens, @cost_usd, @start_time_us, @end_time_us,
                    @duration_ms, @models, @root_name, @root_status)
             AS u(id, span_count, error_count, input_tokens, output_tokens, cost_usd, start_time_us, end_time_us,
                  duration_ms, models, root_name, root_status)
        WHERE t.id = u.id
        RETURNING t.id, t.name, t.status, t.start_time_us, t.end_time_us, t.duration_ms, t.span_count, t.error_count,
                  t.input_tokens, t.output_tokens, t.cost_usd
        """;

    /// <summary>
    /// Recomputes the rollups of traces that had spans before this group from all their stored spans. Cost is summed
    /// exactly (numeric) and rounded once, so the result does not depend on the order PostgreSQL aggregates in.
    /// </summary>
    public const string RefreshRollups = """
        UPDATE traces t SET
            span_count = agg.n,
            error_count = agg.errors,
            input_tokens = agg.in_tok,
            output_tokens = agg.out_tok,
            cost_usd = agg.cost,
            start_time_us = agg.start_us,
            end_time_us = agg.end_us,
            duration_ms = CASE WHEN agg.end_us IS NULL THEN NULL ELSE (agg.end_us - agg.start_us)::float8 / 1000 END,
            models = agg.models,
            name = CASE WHEN t.name_explicit THEN t.name ELSE COALESCE(root.name, t.name) END,
            status = CASE WHEN t.status_explicit THEN t.status
                          WHEN agg.errors > 0 THEN 'error'
                          WHEN root.status = 'ok' THEN 'ok'
                          ELSE 'unset' END,
            updated_at_us = @now_us
        FROM (SELECT trace_pk,
                     COUNT(*) AS n,
                     COUNT(*) FILTER (WHERE status = 'error') AS errors,
                     COALESCE(SUM(input_tokens), 0)::bigint AS in_tok,
                     COALESCE(SUM(output_tokens), 0)::bigint AS out_tok,
                     COALESCE(SUM(cost_usd::numeric), 0)::float8 AS cost,
                     MIN(start_time_us) AS start_us,
                     MAX(end_time_us) AS end_us,
                     string_agg(DISTINCT model_c, ',' ORDER BY model_c) AS models
              FROM (SELECT trace_pk, status, input_tokens, output_tokens, cost_usd, start_time_us, end_time_us,
                           model COLLATE "C" AS model_c -- sorted by code point, as SQLite sorts them
                    FROM spans WHERE trace_pk = ANY(@id)) AS s
              GROUP BY trace_pk) AS agg
        LEFT JOIN LATERAL (SELECT r.name, r.status FROM spans r
                           WHERE r.trace_pk = agg.trace_pk AND r.parent_span_id IS NULL
                           ORDER BY r.start_time_us, r.id LIMIT 1) AS root ON true
        WHERE t.id = agg.trace_pk
        RETURNING t.id, t.name, t.status, t.start_time_us, t.end_time_us, t.duration_ms, t.span_count, t.error_count,
                  t.input_tokens, t.output_tokens, t.cost_usd
        """;
}
