using Microsoft.EntityFrameworkCore;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>The SQLite context: its own type so its migrations (<c>Storage/Sqlite/Migrations</c>) are its own.</summary>
public sealed class SqliteVigilDbContext(DbContextOptions<SqliteVigilDbContext> options) : VigilDbContext(options);
