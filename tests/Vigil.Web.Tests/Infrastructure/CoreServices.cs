using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using System.Security.Claims;
using Vigil.Core;
using Vigil.Core.Accounts;
using Vigil.Web.Components;
using Vigil.Core.Projects;
using Vigil.Core.Storage;
using Vigil.Tests;

namespace Vigil.Web.Tests.Infrastructure;

/// <summary>bUnit context with MudBlazor and the real Vigil.Core services over a temp SQLite file (project "p1").</summary>
public abstract class VigilComponentTest : BunitContext, IAsyncLifetime
{
    private readonly TestStorage _storage = TestStorage.Create("vigil-bunit");

    protected VigilComponentTest()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(_storage.Settings).Build();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddLogging();
        Services.AddMudServices();
        Services.AddVigilCore(config);
        Services.AddVigilDashboard();
        // Pages need a signed-in user: an admin sees every project (SignInAsMember switches to a member).
        Auth = AddAuthorization();
        Auth.SetAuthorized("admin@test.local");
        Auth.SetRoles(VigilRoles.Admin);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "test-admin"));
    }

    protected Bunit.TestDoubles.BunitAuthorizationContext Auth { get; }

    /// <summary>From here on the test user is a plain member (no role) with id <paramref name="userId"/>.</summary>
    protected void SignInAsMember(string userId, string email = "member@test.local")
    {
        Auth.SetAuthorized(email);
        Auth.SetRoles();
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
    }

    public virtual async ValueTask InitializeAsync()
    {
        // After every constructor has registered its services: touching the renderer builds the provider.
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        await using (var db = await Services.GetRequiredService<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync())
            await db.Database.MigrateAsync();
        await Services.GetRequiredService<ProjectService>().CreateAsync("p1", "Project one", null);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _storage.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
