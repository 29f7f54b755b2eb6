using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// Applies <see cref="PostgresText"/> to every string EF is about to save, so no endpoint answers 500 for a U+0000 in
/// what it stores (a span event's attribute key did: "unsupported Unicode escape sequence" from jsonb). The ingest
/// writers clean their own values; this covers every other write. Only strings holding U+0000 or its escape change.
/// </summary>
internal sealed class PostgresTextInterceptor : SaveChangesInterceptor
{
    public static readonly PostgresTextInterceptor Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Clean(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Clean(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Clean(DbContext? context)
    {
        if (context is null) return;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is not string value) continue;
                var json = property.Metadata.GetColumnType() is "jsonb" or "json";
                var cleaned = json ? PostgresText.Json(value) : PostgresText.Clean(value);
                if (!ReferenceEquals(cleaned, value)) property.CurrentValue = cleaned;
            }
        }
    }
}
