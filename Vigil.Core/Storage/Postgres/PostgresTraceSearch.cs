using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// Case-insensitive substring search through pg_trgm GIN indexes (migrations <c>FullTextSearch</c>, <c>TracesLowerTextIndexes</c>):
/// ILIKE over each span's name, input and output text (<see cref="SpanText"/>, the indexed expression); LIKE over
/// <c>lower(name)</c> and <c>lower(models)</c> of traces, the expressions the list's filters compare.
/// PostgreSQL rechecks every index hit, so results are exact.
/// </summary>
internal sealed class PostgresTraceSearch : ITraceSearch
{
    /// <summary>The indexed expression; a query must spell it exactly like this for the planner to use the index.</summary>
    public const string SpanText = "(name || E'\\x1f' || coalesce(input::text, '') || E'\\x1f' || coalesce(output::text, ''))";

    private const int MaxSpans = 8_000;

    public async Task<IReadOnlyCollection<long>?> FindAsync(VigilDbContext db, string projectId, string text, int limit, int commonAbove, CancellationToken ct)
    {
        if (text.EnumerateRunes().Count() < 3) return null;
        var connection = await OpenAsync(db, ct);
        var pattern = Like.Contains(PostgresText.Clean(text)!);
        var found = new HashSet<long>();
        await using (var names = Command(connection, "SELECT id FROM traces WHERE project_id = @project AND lower(name) LIKE @lowered LIMIT @limit",
            ("project", projectId), ("lowered", Lowered(text)), ("limit", limit + 1)))
            await ReadIdsAsync(names, found, ct);
        if (found.Count > limit) return null;
        // Matching spans, capped: each row is rechecked against the pattern (the span's JSON as text, ~75 µs a row), so the
        // caps bound that work. A first, small cap tells a common word (its spans fill it with more than `commonAbove`
        // traces: null, the caller walks) from a rare one (all its spans fit) in ~2,000 rechecks; a word in 20 % of 1M
        // spans took 0.6 s to fill the single 8,000 cap this replaces. Many spans of a few traces fill the caps too: then
        // their distinct traces are read, up to the limit.
        var spanCap = 0;
        foreach (var cap in new[] { 2 * (commonAbove + 1), Math.Min(limit * 8, MaxSpans) })
        {
            if (cap <= spanCap) continue;
            spanCap = cap;
            var rows = 0;
            await using var spans = Command(connection, $"SELECT trace_pk FROM spans WHERE project_id = @project AND {SpanText} ILIKE @pattern LIMIT @limit",
                ("project", projectId), ("pattern", pattern), ("limit", spanCap));
            await using var r = await spans.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) { found.Add(r.GetInt64(0)); rows++; }
            if (found.Count > limit || (rows >= spanCap && found.Count > commonAbove)) return null;
            if (rows < spanCap) return found;
        }
        await using (var distinct = Command(connection, $"SELECT DISTINCT trace_pk FROM spans WHERE project_id = @project AND {SpanText} ILIKE @pattern LIMIT @limit",
            ("project", projectId), ("pattern", pattern), ("limit", limit + 1)))
            await ReadIdsAsync(distinct, found, ct);
        return found.Count > limit ? null : found;
    }

    public async Task<HashSet<long>> MatchingAsync(VigilDbContext db, string projectId, string text, IReadOnlyCollection<long> tracePks, CancellationToken ct)
    {
        var found = new HashSet<long>();
        if (tracePks.Count == 0) return found;
        // The text is matched as `expression || ''`, which no index covers: the rows come by trace from the chunk's ids.
        // Written as the indexed expression, a common word made the planner read its whole trigram bitmap and recheck
        // every candidate span instead (1.3 s for 256 traces at 1M spans, against 10 ms).
        await using var cmd = Command(await OpenAsync(db, ct), $"""
            SELECT trace_pk FROM spans WHERE trace_pk = ANY(@ids) AND project_id = @project AND ({SpanText} || '') ILIKE @pattern
            UNION
            SELECT id FROM traces WHERE id = ANY(@ids) AND project_id = @project AND (lower(name) || '') LIKE @lowered
            """, ("ids", tracePks.ToArray()), ("project", projectId), ("pattern", Like.Contains(PostgresText.Clean(text)!)), ("lowered", Lowered(text)));
        await ReadIdsAsync(cmd, found, ct);
        return found;
    }

    /// <summary>Nothing to do: PostgreSQL's trigram indexes are on the span columns themselves.</summary>
    public Task ReindexSpansAsync(VigilDbContext db, IReadOnlyCollection<long> spanIds, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Never a set of ids: the trace list compares <c>lower(name)</c> / <c>lower(models)</c>
    /// (<see cref="TextFilter.WhereContains"/>), which trigram indexes cover (migration TracesLowerTextIndexes), so the
    /// list's own query reads the index. A set of ids found here first came back as an array PostgreSQL's planner answered
    /// with a scan of every trace (0.4 s for `model=` in 3 % of 200k traces, against 0.03 s now). Only whether the text
    /// is in more than <paramref name="limit"/> traces is read here, so that the list need not count them again.
    /// </summary>
    public async Task<FieldHits> FindByFieldAsync(VigilDbContext db, string projectId, TraceTextField field, string text, int limit, CancellationToken ct)
    {
        if (text.EnumerateRunes().Count() < 3) return FieldHits.Unknown;
        var column = field == TraceTextField.Name ? "name" : "models";
        await using var cmd = Command(await OpenAsync(db, ct), $"SELECT 1 FROM traces WHERE project_id = @project AND lower({column}) LIKE @lowered LIMIT @limit",
            ("project", projectId), ("lowered", Lowered(text)), ("limit", limit + 1));
        var rows = 0;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) rows++;
        return rows > limit ? new FieldHits(null, Overflowed: true) : FieldHits.Unknown;
    }

    /// <summary>A LIKE pattern for <c>lower(column)</c>: the text lowered as the trace list's filters lower it.</summary>
    private static string Lowered(string text) => Like.Contains(PostgresText.Clean(text.ToLowerInvariant())!);

    private static async Task<NpgsqlConnection> OpenAsync(VigilDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return (NpgsqlConnection)db.Database.GetDbConnection();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            cmd.Parameters.Add(value is long[] ids ? new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ids } : new NpgsqlParameter(name, value));
        return cmd;
    }

    private static async Task ReadIdsAsync(DbCommand cmd, HashSet<long> into, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) into.Add(r.GetInt64(0));
    }
}
