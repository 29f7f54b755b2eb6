using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// A read-only SQLite connection of the drift reader's own, opened and used only through the P/Invokes below on
/// e_sqlite3 (the library Microsoft.Data.Sqlite's bundle loads), so no handle ever crosses between two bindings.
/// Why not a <see cref="SqliteConnection"/>: at a million rows the per-call cost of a column read is most of the read
/// (docs/benchmarks.md). SQLitePCL's column calls go through a SafeHandle and SQLite's per-connection mutex; here the
/// connection is opened with SQLITE_OPEN_NOMUTEX (one thread at a time uses it, which is all that mode asks) and the
/// column getters skip the GC transition (they only read the current row and cannot block).
/// </summary>
internal sealed class SqliteReadConnection : IDisposable
{
    private const string Lib = "e_sqlite3";
    private const int SqliteOk = 0;
    private const int OpenReadOnly = 0x1;
    private const int OpenNoMutex = 0x8000;
    public const int Row = 100;
    public const int Done = 101;
    public const int TextType = 3;
    public const int NullType = 5;

    private nint _db;

    private SqliteReadConnection(nint db) => _db = db;

    /// <summary>Whether this process can use the direct binding: the bundled e_sqlite3 is the library in use and it loads.</summary>
    public static bool Available => LazyAvailable.Value;

    private static readonly Lazy<bool> LazyAvailable = new(() =>
    {
        try { return SQLitePCL.raw.GetNativeLibraryName() == Lib && sqlite3_threadsafe() != 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException) { return false; }
    });

    public static SqliteReadConnection Open(string path, int busyTimeoutMs)
    {
        var rc = sqlite3_open_v2(Utf8(path), out var db, OpenReadOnly | OpenNoMutex, 0);
        var connection = new SqliteReadConnection(db);
        if (rc != SqliteOk)
        {
            var message = connection.ErrorMessage();
            connection.Dispose();
            throw new SqliteException($"Could not open {path} for reading: {message}", rc);
        }
        sqlite3_busy_timeout(db, busyTimeoutMs);
        return connection;
    }

    public Statement Prepare(string sql)
    {
        var rc = sqlite3_prepare_v2(_db, Utf8(sql), -1, out var stmt, 0);
        if (rc != SqliteOk) throw new SqliteException(ErrorMessage(), rc);
        return new Statement(this, stmt);
    }

    public string ErrorMessage() => Marshal.PtrToStringUTF8(sqlite3_errmsg(_db)) ?? "unknown error";

    public void Dispose()
    {
        if (_db == 0) return;
        sqlite3_close_v2(_db);
        _db = 0;
    }

    /// <summary>A prepared statement; finalized on dispose.</summary>
    public sealed class Statement(SqliteReadConnection connection, nint handle) : IDisposable
    {
        private nint _stmt = handle;

        public nint Handle => _stmt;

        public void Bind(string name, long value) => Check(sqlite3_bind_int64(_stmt, Index(name), value));

        // SQLITE_TRANSIENT (-1): SQLite copies the text, so the managed buffer need not outlive the call.
        public void Bind(string name, string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            Check(sqlite3_bind_text(_stmt, Index(name), bytes, bytes.Length, -1));
        }

        public void Reset() => sqlite3_reset(_stmt);

        /// <summary>True on a row, false when done.</summary>
        public bool Step()
        {
            var rc = sqlite3_step(_stmt);
            if (rc == Row) return true;
            if (rc == Done) return false;
            throw new SqliteException(connection.ErrorMessage(), rc);
        }

        public void Dispose()
        {
            if (_stmt == 0) return;
            sqlite3_finalize(_stmt);
            _stmt = 0;
        }

        private int Index(string name)
        {
            var i = sqlite3_bind_parameter_index(_stmt, Utf8(name));
            return i > 0 ? i : throw new ArgumentException($"No parameter {name} in the statement", nameof(name));
        }

        private void Check(int rc)
        {
            if (rc != SqliteOk) throw new SqliteException(connection.ErrorMessage(), rc);
        }
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s + "\0");

#pragma warning disable SYSLIB1054 // DllImport on blittable signatures needs no generated marshalling (and no unsafe code)
    [DllImport(Lib)] private static extern int sqlite3_threadsafe();
    [DllImport(Lib)] private static extern int sqlite3_open_v2(byte[] filename, out nint db, int flags, nint vfs);
    [DllImport(Lib)] private static extern int sqlite3_close_v2(nint db);
    [DllImport(Lib)] private static extern int sqlite3_busy_timeout(nint db, int ms);
    [DllImport(Lib)] private static extern nint sqlite3_errmsg(nint db);
    [DllImport(Lib)] private static extern int sqlite3_prepare_v2(nint db, byte[] sql, int bytes, out nint stmt, nint tail);
    [DllImport(Lib)] private static extern int sqlite3_bind_parameter_index(nint stmt, byte[] name);
    [DllImport(Lib)] private static extern int sqlite3_bind_int64(nint stmt, int i, long value);
    [DllImport(Lib)] private static extern int sqlite3_bind_text(nint stmt, int i, byte[] value, int bytes, nint destructor);
    [DllImport(Lib)] private static extern int sqlite3_reset(nint stmt);
    [DllImport(Lib)] private static extern int sqlite3_step(nint stmt);
    [DllImport(Lib)] private static extern int sqlite3_finalize(nint stmt);
    [DllImport(Lib)] private static extern nint sqlite3_column_text(nint stmt, int i);

    // The per-row getters: no GC transition (a few ns instead of tens); they read the current row only.
    [DllImport(Lib), SuppressGCTransition] public static extern long sqlite3_column_int64(nint stmt, int i);
    [DllImport(Lib), SuppressGCTransition] public static extern double sqlite3_column_double(nint stmt, int i);
    [DllImport(Lib), SuppressGCTransition] public static extern int sqlite3_column_type(nint stmt, int i);
    [DllImport(Lib), SuppressGCTransition] private static extern int sqlite3_column_bytes(nint stmt, int i);
#pragma warning restore SYSLIB1054

    /// <summary>A text column of the current row, or null.</summary>
    public static string? ColumnText(nint stmt, int i)
    {
        if (sqlite3_column_type(stmt, i) == NullType) return null;
        var text = sqlite3_column_text(stmt, i); // before _bytes, as SQLite documents
        return Marshal.PtrToStringUTF8(text, sqlite3_column_bytes(stmt, i));
    }
}
