using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Storage.Postgres;

/// <summary>Server mode: PostgreSQL, one database for one or many Vigil instances.</summary>
internal static class PostgresStorage
{
    public static void Add(IServiceCollection services, string connectionString, DatabaseOptions options) =>
        throw new OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions),
            ["Vigil:Database:Provider 'Postgres' is not supported by this build yet; use Sqlite."]);
}
