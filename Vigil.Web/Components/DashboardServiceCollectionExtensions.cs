using Vigil.Web.Components.Shared;

namespace Vigil.Web.Components;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>Per-circuit services of the Razor dashboard.</summary>
    public static IServiceCollection AddVigilDashboard(this IServiceCollection services)
    {
        services.AddScoped<ProjectContext>();
        services.AddScoped<Vigil.Web.Audit.CircuitClient>();
        services.AddScoped<Vigil.Web.Audit.DashboardAudit>();
        return services;
    }
}
