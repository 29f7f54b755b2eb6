using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Storage;
using Vigil.Core.Storage.Sqlite;
using Vigil.Web.Tests.Accounts;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Ingest;

/// <summary>
/// Puts every connection into a fault of SQLite's own making, when it is opened (or taken from the pool) and when a
/// transaction starts on it: a database that may not grow (<c>max_page_count</c> at its current size: disk full), or a
/// read-only one (<c>query_only</c>). Cleared, the same connections work again: that is the fault going away.
/// </summary>
public sealed class FaultSwitch : DbConnectionInterceptor, IDbTransactionInterceptor
{
    public enum Mode { None, Full, ReadOnly }

    public volatile Mode Current;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection, null);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        Apply(connection, null);
        return Task.CompletedTask;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Apply(connection, result);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken ct = default)
    {
        Apply(connection, result);
        return ValueTask.FromResult(result);
    }

    private void Apply(DbConnection connection, DbTransaction? transaction)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = Current switch
        {
            // SQLite never lowers the cap below the pages in use: "as large as it is now".
            Mode.Full => "PRAGMA max_page_count = 1; PRAGMA query_only = 0;",
            Mode.ReadOnly => "PRAGMA max_page_count = 1073741823; PRAGMA query_only = 1;",
            _ => "PRAGMA max_page_count = 1073741823; PRAGMA query_only = 0;",
        };
        cmd.ExecuteNonQuery();
    }
}

public sealed class StorageFaultFactory : VigilWebFactory
{
    public FaultSwitch Switch { get; } = new();

    public StorageFaultFactory()
    {
        With("Vigil:Init:AdminApiKey", AdminKeyFactory.AdminApiKey);
        With("Vigil:Database:BusyTimeoutMs", "300");
        With("Vigil:Drift:Enabled", "false");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.ConfigureDbContext<SqliteVigilDbContext>(o => o.AddInterceptors(Switch)));
    }
}
