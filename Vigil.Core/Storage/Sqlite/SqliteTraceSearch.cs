using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// Search through the FTS5 trigram tables <c>spans_fts</c> (span name, input, output) and <c>traces_fts</c> (trace name,
/// models), kept by triggers in the same transaction as the rows (migration <c>FullTextSearch</c>). Index hits are
/// candidates; the match itself is LIKE for ASCII text, and lowered + instr for other text (every letter's case:
/// <see cref="SqliteTextFunctions"/>), as the list's own filters.
/// Rows are looked up by id, never through the project's indexes: the unary <c>+</c> on <c>project_id</c> keeps SQLite's
/// planner (no statistics) from scanning every span of the project for each chunk of ids, 1 to 4 s at 1M spans.
/// </summary>
internal sealed class SqliteTraceSearch : ITraceSearch
{
    private const int VerifyChunk = 1000;

    /// <summary>Candidate spans listed per trace of the limit before a text counts as too common to narrow by.</summary>
    private const int CandidatesPerTrace = 2;

    /// <summary>Whether a span's name, input or output holds the text (<see cref="Contains"/>).</summary>
    private static string SpanMatch(bool ascii) =>
        $"({Contains(ascii, "s.name")} OR {Contains(ascii, "s.input")} OR {Contains(ascii, "s.output")})";

    /// <summary>Which of a chunk of candidate spans (@ids) match the text; their traces.</summary>
    internal static string VerifySql(bool ascii) => $"""
        SELECT DISTINCT s.trace_pk FROM spans s
        WHERE s.id IN (SELECT value FROM json_each(@ids)) AND +s.project_id = @project AND {SpanMatch(ascii)}
        """;

    /// <summary>Which of a chunk of traces (@ids) match the text in a span or their name.</summary>
    internal static string MatchingSql(bool ascii) => $"""
        SELECT s.trace_pk FROM spans s WHERE s.trace_pk IN (SELECT value FROM json_each(@ids)) AND +s.project_id = @project AND {SpanMatch(ascii)}
        UNION
        SELECT t.id FROM traces t WHERE t.id IN (SELECT value FROM json_each(@ids)) AND +t.project_id = @project AND {Contains(ascii, "t.name")}
        """;

    /// <summary>
    /// Traces whose name or models (<paramref name="column"/>) hold @lowered in any case: candidates from the trigram index, each
    /// verified through <c>ix_traces_id_text</c> (id, project, name, models; migration TracesTextLookup), which packs ~60
    /// traces a page where the table holds ~10: a name in 5 % of 2M traces verifies 10,001 of them in 21 instead of 37 ms.
    /// </summary>
    internal static string FieldSql(string column, bool ascii) => $"""
        SELECT t.id FROM traces_fts f JOIN traces t INDEXED BY ix_traces_id_text ON t.id = f.rowid
        WHERE traces_fts MATCH @match AND +t.project_id = @project AND {Contains(ascii, $"t.{column}")}
        LIMIT @limit
        """;

    /// <summary>
    /// As <see cref="TextFilter.WhereContains"/>: ASCII text (@pattern) by LIKE, which folds ASCII case and is ~2 ms
    /// faster over 10,000 candidates than lower() + instr; other text (@lowered) through <see cref="SqliteTextFunctions"/>.
    /// </summary>
    private static string Contains(bool ascii, string column) =>
        ascii ? $"{column} LIKE @pattern ESCAPE '\\'" : $"instr({SqliteTextFunctions.Lower}({column}), @lowered) > 0";

    public async Task<IReadOnlyCollection<long>?> FindAsync(VigilDbContext db, string projectId, string text, int limit, int commonAbove, CancellationToken ct)
    {
        var match = Fts5Query.AllTrigrams(text);
        if (match is null) return null;
        var connection = await OpenAsync(db, ct);
        var lowered = text.ToLowerInvariant();
        var ascii = lowered.All(char.IsAscii);
        var found = new HashSet<long>();
        await using (var names = FieldCommand(connection, "name", Fts5Query.CoveringTrigrams(text, "name")!, projectId, text, limit))
            await ReadIdsAsync(names, found, ct);
        if (found.Count > limit) return null;

        // Candidates (spans holding every trigram, of any project) cost ~0.3 µs each to list, ~3 µs each to verify (the
        // row and a LIKE). More than CandidatesPerTrace × limit of them mark a common word: verifying stops once more than
        // `commonAbove` traces matched, and the caller walks the list, which finds a page quickly at that frequency. Else
        // every candidate is verified, so a rare word in a long history (0.1 % of 2M traces) is a set of ids, not a walk
        // of ~50k traces. Candidates of other projects or many spans of a few traces only make verifying longer.
        var cap = CandidatesPerTrace * limit;
        await using var count = Command(connection, "SELECT count(*) FROM (SELECT 1 FROM spans_fts WHERE spans_fts MATCH @match LIMIT @cap)", ("match", match), ("cap", cap + 1));
        var common = Convert.ToInt64(await count.ExecuteScalarAsync(ct)) > cap;

        await using var candidates = Command(connection, "SELECT rowid FROM spans_fts WHERE spans_fts MATCH @match", ("match", match));
        await using var verify = Command(connection, VerifySql(ascii), ("ids", ""), ("project", projectId), ("pattern", Like.Contains(lowered)), ("lowered", lowered));
        await using var reader = await candidates.ExecuteReaderAsync(ct);
        var chunk = new List<long>(VerifyChunk);
        while (true)
        {
            var more = await reader.ReadAsync(ct);
            if (more) chunk.Add(reader.GetInt64(0));
            if (chunk.Count == VerifyChunk || (!more && chunk.Count > 0))
            {
                verify.Parameters["@ids"].Value = "[" + string.Join(',', chunk) + "]";
                await ReadIdsAsync(verify, found, ct);
                chunk.Clear();
                if (found.Count > limit || (common && found.Count > commonAbove)) return null;
            }
            if (!more) return found;
        }
    }

    public async Task<HashSet<long>> MatchingAsync(VigilDbContext db, string projectId, string text, IReadOnlyCollection<long> tracePks, CancellationToken ct)
    {
        var found = new HashSet<long>();
        if (tracePks.Count == 0) return found;
        var lowered = text.ToLowerInvariant();
        await using var cmd = Command(await OpenAsync(db, ct), MatchingSql(lowered.All(char.IsAscii)), ("ids", "[" + string.Join(',', tracePks) + "]"),
            ("project", projectId), ("pattern", Like.Contains(lowered)), ("lowered", lowered));
        await ReadIdsAsync(cmd, found, ct);
        return found;
    }

    /// <summary>
    /// Deletes and re-adds each span's text, like the ingest writer does for an update (<see cref="SqliteTextIndex"/>).
    /// An <c>INSERT … SELECT</c> makes a segment of its own; log records fold into few spans at a time, so that is fine here.
    /// </summary>
    public async Task ReindexSpansAsync(VigilDbContext db, IReadOnlyCollection<long> spanIds, CancellationToken ct)
    {
        if (spanIds.Count == 0) return;
        var connection = await OpenAsync(db, ct);
        var tx = (SqliteTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
        // One rowid per statement: a contentless table has no content to search, so a set of rowids would scan it.
        await using (var delete = Command(connection, "DELETE FROM spans_fts WHERE rowid = @id", ("id", 0L)))
        {
            delete.Transaction = tx;
            foreach (var id in spanIds)
            {
                delete.Parameters["@id"].Value = id;
                await delete.ExecuteNonQueryAsync(ct);
            }
        }
        await using var insert = Command(connection, $"""
            INSERT INTO spans_fts (rowid, text)
            SELECT id, {SqliteTextIndex.SpanText("")} FROM spans WHERE id IN (SELECT value FROM json_each(@ids)) ORDER BY id
            """, ("ids", "[" + string.Join(',', spanIds) + "]"));
        insert.Transaction = tx;
        await insert.ExecuteNonQueryAsync(ct);
    }

    public async Task<FieldHits> FindByFieldAsync(VigilDbContext db, string projectId, TraceTextField field, string text, int limit, CancellationToken ct)
    {
        var column = field == TraceTextField.Name ? "name" : "models";
        var match = Fts5Query.CoveringTrigrams(text, column);
        if (match is null) return FieldHits.Unknown;
        var found = new HashSet<long>();
        await using var cmd = FieldCommand(await OpenAsync(db, ct), column, match, projectId, text, limit);
        await ReadIdsAsync(cmd, found, ct);
        return FieldHits.Of(found, limit);
    }

    /// <summary><see cref="FieldSql"/> for <paramref name="text"/>, with its parameters (up to <paramref name="limit"/> + 1 ids).</summary>
    private static SqliteCommand FieldCommand(SqliteConnection connection, string column, string match, string projectId, string text, int limit)
    {
        var lowered = text.ToLowerInvariant();
        return Command(connection, FieldSql(column, lowered.All(char.IsAscii)), ("match", match), ("project", projectId),
            ("pattern", Like.Contains(lowered)), ("lowered", lowered), ("limit", limit + 1));
    }

    private static async Task<SqliteConnection> OpenAsync(VigilDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return (SqliteConnection)db.Database.GetDbConnection();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue("@" + name, value);
        return cmd;
    }

    private static async Task ReadIdsAsync(DbCommand cmd, HashSet<long> into, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) into.Add(r.GetInt64(0));
    }
}
