using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Vigil.Core.Storage;

/// <summary>Lets <c>dotnet ef migrations add X --project Vigil.Core</c> run without starting the web host.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<VigilDbContext>
{
    public VigilDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<VigilDbContext>().UseSqlite("Data Source=design.db").Options);
}
