using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Drift;
using Vigil.Core.Ingest;
using Vigil.Web.Charts;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Drift;

/// <summary>The shared bUnit context (real Core over SQLite, project "p1", MudBlazor) plus drift and the chart renderer.</summary>
public sealed class DriftPageContext : VigilComponentTest
{
    public DriftPageContext()
    {
        Services.AddVigilDrift(new ConfigurationBuilder().Build());
        Services.AddChartRenderer();
        Services.AddScoped<Vigil.Web.Components.Shared.ProjectContext>();
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task SeedSlowLlmHourAsync()
    {
        var json = DriftSpans.SteadyWithSlowCurrent(DateTimeOffset.UtcNow, ["llm", "tool"], ["llm"]);
        var result = await Get<IngestService>().IngestAsync("p1", NativeBatchParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), new IngestOptions()), IngestMode.AllOrNothing);
        Assert.Empty(result.Errors);
    }
}
