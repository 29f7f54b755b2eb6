using System.Net;
using Vigil.Distribution.Tests.Infrastructure;

namespace Vigil.Distribution.Tests;

/// <summary>
/// deploy/Dockerfile cannot be built here (no registry for the .NET base images), so its build stage runs as Docker
/// would run it (<see cref="DockerBuildStage"/>) and the published app starts with the runtime stage's environment.
/// </summary>
public sealed class DockerfileTests
{
    [Fact]
    public async Task The_build_stage_publishes_an_app_that_serves_with_the_images_settings()
    {
        using var dir = new TempDir();
        var stage = new DockerBuildStage(Repo.At("deploy", "Dockerfile"), Repo.Root, dir.Path);
        await stage.RunAsync("build");
        var publish = stage.Map("/app/publish");
        Assert.True(File.Exists(Path.Combine(publish, "Vigil.Web.dll")));
        // Blazor's own script comes from a package the restore must know about before the .razor files are copied.
        Assert.True(File.Exists(Path.Combine(publish, "wwwroot", "_framework", "blazor.web.js")), "no _framework/blazor.web.js in the published app");
        Assert.False(File.Exists(Path.Combine(publish, "Vigil.Web")), "UseAppHost=false: the image runs 'dotnet Vigil.Web.dll'");

        // The runtime stage's environment, with the ports made free ones and /data a scratch folder.
        var env = stage.Environment("runtime");
        Assert.Equal("http://+:5000", env["ASPNETCORE_URLS"]);
        Assert.Equal("http://+:4317", env["Vigil__Otlp__GrpcEndpoint"]);
        Assert.Equal("/data", env["Vigil__DataDirectory"]);
        var (http, grpc) = (ServerProcess.FreePort(), ServerProcess.FreePort());
        var data = stage.Map("/data");
        await using var server = ServerProcess.Start("dotnet", ["Vigil.Web.dll"], publish, new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = env["ASPNETCORE_URLS"].Replace("5000", http.ToString()),
            ["Vigil__Otlp__GrpcEndpoint"] = env["Vigil__Otlp__GrpcEndpoint"].Replace("4317", grpc.ToString()),
            ["Vigil__DataDirectory"] = data,
        });
        await server.WaitForAsync($"http://127.0.0.1:{http}/ready");
        Assert.True(File.Exists(Path.Combine(data, "vigil.db")));

        // The gRPC endpoint listens on every interface, as the image publishes it.
        using var h2c = new HttpClient();
        var onGrpc = await h2c.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{grpc}/")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
        Assert.Equal(HttpStatusCode.NotFound, onGrpc.StatusCode);
    }
}
