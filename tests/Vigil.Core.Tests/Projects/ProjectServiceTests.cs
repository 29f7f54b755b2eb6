using Microsoft.EntityFrameworkCore;
using Vigil.Core.Projects;
using Vigil.Tests;

namespace Vigil.Core.Tests.Projects;

public class ProjectServiceTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await CoreTestHost.StartAsync();
    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Only_the_hash_of_a_secret_is_stored_and_it_authenticates()
    {
        var (_, secret) = await _host.Get<ProjectService>().CreateAsync("p9", "Nine", null);
        Assert.StartsWith("vgl_", secret);
        var keys = await _host.Get<ProjectService>().ListKeysAsync("p9");
        var key = Assert.Single(keys);
        Assert.Equal(ApiKeySecret.Hash(secret), key.Hash);
        if (TestStorage.IsPostgres)
        {
            await using var db = await _host.Db();
            Assert.DoesNotContain(secret, System.Text.Json.JsonSerializer.Serialize(await db.ApiKeys.AsNoTracking().ToListAsync()));
        }
        else
            Assert.DoesNotContain(secret, File.ReadAllText(_host.DbPath + "-wal", System.Text.Encoding.Latin1) + File.ReadAllText(_host.DbPath, System.Text.Encoding.Latin1));
        Assert.Equal("p9", (await _host.Get<ProjectService>().AuthenticateAsync(secret))!.ProjectId);
        Assert.Null(await _host.Get<ProjectService>().AuthenticateAsync(secret + "x"));
    }

    [Fact]
    public async Task Rotation_revokes_the_old_key()
    {
        var svc = _host.Get<ProjectService>();
        var (_, old) = await svc.CreateAsync("p8", "Eight", null);
        Assert.NotNull(await svc.AuthenticateAsync(old));
        var fresh = await svc.RotateKeyAsync("p8");
        Assert.Null(await svc.AuthenticateAsync(old));
        Assert.Equal("p8", (await svc.AuthenticateAsync(fresh))!.ProjectId);
    }

    [Fact]
    public async Task Headless_init_is_idempotent()
    {
        var svc = _host.Get<ProjectService>();
        var init = new InitOptions { ProjectId = "ci", ApiKey = "vgl_configured_key_0123456789" };
        await svc.EnsureInitialProjectAsync(init);
        await svc.EnsureInitialProjectAsync(init);
        Assert.Single(await svc.ListKeysAsync("ci"));
        Assert.Equal("ci", (await svc.AuthenticateAsync(init.ApiKey))!.ProjectId);
    }

    [Fact]
    public async Task First_start_without_projects_creates_default_once()
    {
        await using var empty = await CoreTestHost.StartAsync(createProject: false);
        var svc = empty.Get<ProjectService>();
        var first = await svc.EnsureInitialProjectAsync(new InitOptions());
        Assert.Equal("default", first!.Value.ProjectId);
        Assert.Equal("default", (await svc.AuthenticateAsync(first.Value.NewSecret!))!.ProjectId);
        // A restart finds a project and creates nothing, so no new key is printed.
        Assert.Null(await svc.EnsureInitialProjectAsync(new InitOptions()));
        Assert.Single(await svc.ListAsync());
    }

    [Theory]
    [InlineData("default", true)]
    [InlineData("my-project_2", true)]
    [InlineData("My Project", false)]
    [InlineData("-x", false)]
    public void Slugs(string id, bool valid) => Assert.Equal(valid, ProjectSlug.IsValid(id));
}
