using Microsoft.EntityFrameworkCore;

namespace Vigil.Core.Storage;

/// <summary>Serves the provider's own context type wherever the rest of Vigil asks for a <see cref="VigilDbContext"/>.</summary>
internal sealed class ContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<VigilDbContext>
    where TContext : VigilDbContext
{
    public VigilDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<VigilDbContext> CreateDbContextAsync(CancellationToken ct = default) => await inner.CreateDbContextAsync(ct);
}
