using Microsoft.Data.Sqlite;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// Keeps the full-text tables (<c>spans_fts</c>: span name, input and output; <c>traces_fts</c>: trace name and models) up
/// to date from the ingest writer: what a group of batches changes is collected while it is written and indexed last,
/// just before the commit, by single-row statements prepared once. Triggers did this until migration TextIndexWrites,
/// at a third of the speed: FTS5 flushes its pending terms to a new on-disk segment at every statement savepoint, and
/// every upsert into an indexed table opens one, so each span became a segment of its own and the index spent its time
/// merging them. Written last, a group's terms stay in memory until the commit and become one segment. Rows are deleted
/// by triggers still (retention and project deletion delete many rows per statement).
/// </summary>
internal sealed class SqliteTextIndex : IDisposable
{
    /// <summary>
    /// A span's indexed text from its columns (prefix "") or from parameters of the same names (prefix "@"), in the format
    /// the triggers of migration FullTextSearch used.
    /// </summary>
    internal static string SpanText(string prefix) =>
        $"{prefix}name || char(31) || coalesce({prefix}input, '') || char(31) || coalesce({prefix}output, '')";

    /// <summary>A span to index: its text, or null to read it back from the row (an update merged it).</summary>
    private record struct SpanDoc(bool Indexed, string? Name, string? Input, string? Output);

    private record struct TraceDoc(bool Indexed, string Name, string Models);

    private readonly Dictionary<long, SpanDoc> _spans = [];
    private readonly Dictionary<long, TraceDoc> _traces = [];
    private readonly List<long> _order = [];

    private readonly NativeStatement _insertSpan, _deleteSpan, _storedSpan, _insertTrace, _deleteTrace;
    private readonly int _isId, _isName, _isInput, _isOutput, _dsId, _ssId, _itId, _itName, _itModels, _dtId;

    public SqliteTextIndex(SqliteConnection connection)
    {
        _insertSpan = new NativeStatement(connection, $"INSERT INTO spans_fts (rowid, text) VALUES (@id, {SpanText("@")})");
        _deleteSpan = new NativeStatement(connection, "DELETE FROM spans_fts WHERE rowid = @id");
        _storedSpan = new NativeStatement(connection, "SELECT name, input, output FROM spans WHERE id = @id");
        _insertTrace = new NativeStatement(connection, "INSERT INTO traces_fts (rowid, name, models) VALUES (@id, @name, @models)");
        _deleteTrace = new NativeStatement(connection, "DELETE FROM traces_fts WHERE rowid = @id");
        (_isId, _isName, _isInput, _isOutput) = (_insertSpan.Parameter("@id"), _insertSpan.Parameter("@name"), _insertSpan.Parameter("@input"), _insertSpan.Parameter("@output"));
        _dsId = _deleteSpan.Parameter("@id");
        _ssId = _storedSpan.Parameter("@id");
        (_itId, _itName, _itModels) = (_insertTrace.Parameter("@id"), _insertTrace.Parameter("@name"), _insertTrace.Parameter("@models"));
        _dtId = _deleteTrace.Parameter("@id");
    }

    /// <summary>Forgets what a failed transaction collected.</summary>
    public void Clear()
    {
        _spans.Clear();
        _traces.Clear();
    }

    /// <summary>A span this transaction inserted.</summary>
    public void SpanInserted(long id, string name, string? input, string? output) => _spans[id] = new SpanDoc(false, name, input, output);

    /// <summary>A span this transaction updated with some of its name, input or output: indexed again from the merged row.</summary>
    public void SpanUpdated(long id) =>
        _spans[id] = new SpanDoc(!_spans.TryGetValue(id, out var doc) || doc.Indexed, null, null, null);

    /// <summary>A trace's name and models after this transaction; <paramref name="indexed"/> when it was in the index before.</summary>
    public void Trace(long pk, bool indexed, string? name, string? models) =>
        _traces[pk] = new TraceDoc(indexed && (!_traces.TryGetValue(pk, out var doc) || doc.Indexed), name ?? "", models ?? "");

    /// <summary>
    /// Writes what the transaction collected: deletes first, then inserts in ascending row id order (FTS5 also flushes
    /// its pending terms when a row id is lower than the one before), with no other statement in between.
    /// </summary>
    public void Flush()
    {
        foreach (var (id, doc) in _spans)
            if (doc.Indexed) Run(_deleteSpan, _dsId, id);
        foreach (var (pk, doc) in _traces)
            if (doc.Indexed) Run(_deleteTrace, _dtId, pk);
        foreach (var id in Ascending(_spans.Keys))
        {
            var doc = _spans[id];
            var (name, input, output) = (doc.Name, doc.Input, doc.Output);
            if (name is null && !Stored(id, out name, out input, out output)) continue;
            _insertSpan.Bind(_isId, id);
            _insertSpan.Bind(_isName, name);
            _insertSpan.Bind(_isInput, input);
            _insertSpan.Bind(_isOutput, output);
            Run(_insertSpan);
        }
        foreach (var pk in Ascending(_traces.Keys))
        {
            var doc = _traces[pk];
            _insertTrace.Bind(_itId, pk);
            _insertTrace.Bind(_itName, doc.Name);
            _insertTrace.Bind(_itModels, doc.Models);
            Run(_insertTrace);
        }
        Clear();
    }

    private List<long> Ascending(IEnumerable<long> ids)
    {
        _order.Clear();
        _order.AddRange(ids);
        _order.Sort();
        return _order;
    }

    private bool Stored(long id, out string? name, out string? input, out string? output)
    {
        _storedSpan.Bind(_ssId, id);
        try
        {
            var found = _storedSpan.Step();
            (name, input, output) = found ? (_storedSpan.Text(0) ?? "", _storedSpan.Text(1), _storedSpan.Text(2)) : (null, null, null);
            return found;
        }
        finally { _storedSpan.Reset(); }
    }

    private static void Run(NativeStatement statement, int idParameter, long id)
    {
        statement.Bind(idParameter, id);
        Run(statement);
    }

    private static void Run(NativeStatement statement)
    {
        try { statement.Step(); }
        finally { statement.Reset(); }
    }

    public void Dispose()
    {
        _insertSpan.Dispose();
        _deleteSpan.Dispose();
        _storedSpan.Dispose();
        _insertTrace.Dispose();
        _deleteTrace.Dispose();
    }
}
