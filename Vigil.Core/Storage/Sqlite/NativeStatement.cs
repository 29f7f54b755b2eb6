using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// A statement prepared once on an open connection's native SQLite handle and run many times. Values bind by
/// position without boxing; Microsoft.Data.Sqlite would box every value and look each parameter up by name on every
/// execution, which on the ingest path cost more than SQLite's own work.
/// Runs inside whatever transaction the connection has open. Not thread-safe, like the connection.
/// </summary>
internal sealed class NativeStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    public NativeStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection must be open.");
        Check(raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _stmt));
    }

    /// <summary>The position of a named parameter (<c>@name</c>); resolve once, bind by position.</summary>
    public int Parameter(string name)
    {
        var i = raw.sqlite3_bind_parameter_index(_stmt, name);
        return i > 0 ? i : throw new ArgumentException($"The statement has no parameter {name}.", nameof(name));
    }

    public void Bind(int i, string? value) => Check(value switch
    {
        null => raw.sqlite3_bind_null(_stmt, i),
        // An empty span would reach SQLite as a null pointer, which binds NULL, not ''.
        "" => raw.sqlite3_bind_text(_stmt, i, ""),
        _ => raw.sqlite3_bind_text16(_stmt, i, value.AsSpan()),
    });

    public void Bind(int i, long? value) => Check(value is { } v ? raw.sqlite3_bind_int64(_stmt, i, v) : raw.sqlite3_bind_null(_stmt, i));

    public void Bind(int i, double? value) => Check(value is { } v ? raw.sqlite3_bind_double(_stmt, i, v) : raw.sqlite3_bind_null(_stmt, i));

    public void Bind(int i, bool value) => Check(raw.sqlite3_bind_int(_stmt, i, value ? 1 : 0));

    public void Bind(int i, byte[]? value) => Check(value is null ? raw.sqlite3_bind_null(_stmt, i) : raw.sqlite3_bind_blob(_stmt, i, value));

    /// <summary>Runs to the next row; false when done. On failure the statement is reset and a <see cref="SqliteException"/> thrown.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc == raw.SQLITE_DONE) return false;
        var error = new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
        raw.sqlite3_reset(_stmt);
        throw error;
    }

    /// <summary>Ends the current execution so the statement can run again (and the transaction can commit).</summary>
    public void Reset() => raw.sqlite3_reset(_stmt);

    public bool IsNull(int column) => raw.sqlite3_column_type(_stmt, column) == raw.SQLITE_NULL;

    public bool IsText(int column) => raw.sqlite3_column_type(_stmt, column) == raw.SQLITE_TEXT;

    public long Int64(int column) => raw.sqlite3_column_int64(_stmt, column);

    public long? NullableInt64(int column) => IsNull(column) ? null : Int64(column);

    public double Double(int column) => raw.sqlite3_column_double(_stmt, column);

    public double? NullableDouble(int column) => IsNull(column) ? null : Double(column);

    public byte[]? Blob(int column) => IsNull(column) ? null : raw.sqlite3_column_blob(_stmt, column).ToArray();

    public string? Text(int column) => IsNull(column) ? null : raw.sqlite3_column_text(_stmt, column).utf8_to_string();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
    }

    public void Dispose() => _stmt.Dispose();
}
