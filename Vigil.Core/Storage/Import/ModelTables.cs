using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Vigil.Core.Storage.Import;

/// <summary>The model's tables with principals before dependents, so rows can be copied in foreign-key order.</summary>
internal static class ModelTables
{
    public static List<IEntityType> InDependencyOrder(IModel model)
    {
        var types = model.GetEntityTypes().Where(t => t.GetTableName() is not null && !t.IsOwned()).ToList();
        var ordered = new List<IEntityType>(types.Count);
        var done = new HashSet<IEntityType>();
        void Visit(IEntityType t, HashSet<IEntityType> path)
        {
            if (done.Contains(t) || !path.Add(t)) return;
            foreach (var fk in t.GetForeignKeys())
                if (fk.PrincipalEntityType != t) Visit(fk.PrincipalEntityType, path);
            done.Add(t);
            ordered.Add(t);
        }
        foreach (var t in types.OrderBy(t => t.GetTableName(), StringComparer.Ordinal)) Visit(t, []);
        return ordered;
    }

    /// <summary>Every row of <paramref name="type"/>, streamed without tracking.</summary>
    public static IAsyncEnumerable<object> Rows(DbContext db, IEntityType type) =>
        (IAsyncEnumerable<object>)typeof(ModelTables).GetMethod(nameof(RowsOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type.ClrType).Invoke(null, [db])!;

    private static IAsyncEnumerable<object> RowsOf<T>(DbContext db) where T : class => db.Set<T>().AsNoTracking().AsAsyncEnumerable();
}
