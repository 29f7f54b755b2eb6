using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Vigil.Core.Storage.Postgres;

namespace Vigil.Tests;

/// <summary>
/// A PostgreSQL database migrated once per schema version (its name carries the last migration's id) that test
/// databases are copied from. Test processes run side by side, so creating it is guarded by an advisory lock.
/// </summary>
internal static class PostgresTemplate
{
    private static readonly Lazy<string> Name = new(Create);

    public static string Ensure() => Name.Value;

    private static string Create()
    {
        var options = new DbContextOptionsBuilder<PostgresVigilDbContext>();
        PostgresStorage.Configure(options, TestStorage.Database("postgres"));
        string last;
        using (var probe = new PostgresVigilDbContext(options.Options))
            last = probe.Database.GetMigrations().Last();
        var name = "vigil_tpl_" + last.ToLowerInvariant().Replace("_", "");
        if (name.Length > 60) name = name[..60];

        using var admin = new NpgsqlConnection(TestStorage.Admin());
        admin.Open();
        using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_lock(7426351)", admin)) lockCmd.ExecuteNonQuery();
        try
        {
            using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", admin))
            {
                exists.Parameters.AddWithValue("n", name);
                if (exists.ExecuteScalar() is not null) return name;
            }
            var building = name + "_new";
            Exec(admin, $"DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)");
            Exec(admin, $"CREATE DATABASE \"{building}\" TEMPLATE template0");
            var migrate = new DbContextOptionsBuilder<PostgresVigilDbContext>();
            PostgresStorage.Configure(migrate, new NpgsqlConnectionStringBuilder(TestStorage.Database(building)) { Pooling = false }.ConnectionString);
            using (var db = new PostgresVigilDbContext(migrate.Options))
            {
                db.GetService<IHistoryRepository>().CreateIfNotExists();
                db.Database.Migrate();
            }
            // Renamed only once complete, so a crashed build never becomes a template.
            Exec(admin, $"ALTER DATABASE \"{building}\" RENAME TO \"{name}\"");
            return name;
        }
        finally
        {
            using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(7426351)", admin);
            unlock.ExecuteNonQuery();
        }
    }

    /// <summary>CREATE DATABASE … TEMPLATE fails while another session is connected to the template (e.g. one being copied): retry briefly.</summary>
    public static void Retry(Action action)
    {
        for (var attempt = 0; ; attempt++)
        {
            try { action(); return; }
            catch (PostgresException e) when (e.SqlState == "55006" && attempt < 50) { Thread.Sleep(100); }
        }
    }

    private static void Exec(NpgsqlConnection c, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }
}
