using Bunit;
using MudBlazor.Services;

namespace Vigil.Web.Tests.Dashboard;

/// <summary>A bUnit context with MudBlazor's services and loose JS interop (clipboard and MudBlazor calls are no-ops).</summary>
public abstract class DashboardTestContext : BunitContext
{
    protected DashboardTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }
}
