namespace Vigil.Web.Charts;

public static class ChartServiceCollectionExtensions
{
    public static IServiceCollection AddChartRenderer(this IServiceCollection services) => services.AddSingleton<ChartRenderer>();
}
