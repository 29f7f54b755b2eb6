using System.Net;
using Vigil.Distribution.Tests.Infrastructure;

namespace Vigil.Distribution.Tests;

/// <summary>
/// dotnet pack Vigil.Web gives the Vigil.Server tool: installed from that local package into a temporary tool path,
/// <c>vigil</c> starts with the defaults (data under the user's home) and takes --port, --data and --urls.
/// </summary>
public sealed class ServerToolTests : IClassFixture<ServerToolTests.InstalledTool>
{
    private readonly InstalledTool _tool;

    public ServerToolTests(InstalledTool tool) => _tool = tool;

    public sealed class InstalledTool : IAsyncLifetime
    {
        public TempDir Dir { get; } = new();
        public string Command => Path.Combine(Dir.Path, "tools", "vigil");

        public async ValueTask InitializeAsync()
        {
            var packages = Dir.Sub("packages");
            await Cli.DotnetAsync(Repo.Root, "pack", "Vigil.Web/Vigil.Web.csproj", "-c", Repo.Configuration, "--no-build", "-o", packages);
            Assert.Single(Directory.GetFiles(packages, "Vigil.Server.*.nupkg"));
            // Only the local package folder as a source: the install needs nothing else (a tool package carries its dependencies).
            var config = Path.Combine(Dir.Path, "nuget.config");
            await File.WriteAllTextAsync(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>
                """);
            await Cli.DotnetAsync(Dir.Path, "tool", "install", "Vigil.Server", "--tool-path", Dir.Sub("tools"), "--configfile", config);
            Assert.True(File.Exists(Command), "no 'vigil' command in the tool path");
        }

        public ValueTask DisposeAsync()
        {
            Dir.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Vigil_with_port_answers_health_and_keeps_its_data_under_the_users_home()
    {
        var home = _tool.Dir.Sub("home");
        var port = ServerProcess.FreePort();
        await using var server = ServerProcess.Start(_tool.Command,
            ["--port", port.ToString(), $"--Vigil:Otlp:GrpcEndpoint=http://127.0.0.1:{ServerProcess.FreePort()}"],
            _tool.Dir.Sub("cwd"), new Dictionary<string, string?> { ["HOME"] = home });

        var health = await server.WaitForAsync($"http://localhost:{port}/health");
        Assert.Contains("\"ok\"", await health.Content.ReadAsStringAsync());
        Assert.True(File.Exists(Path.Combine(home, ".vigil", "vigil.db")), "no database in ~/.vigil");
        // The dashboard's assets come from the tool's own folder, whatever the working directory.
        using var http = new HttpClient();
        var login = await http.GetStringAsync($"http://localhost:{port}/account/login");
        var css = System.Text.RegularExpressions.Regex.Match(login, "href=\"(Vigil\\.Server\\.[^\"]+\\.css)\"").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://localhost:{port}/{css}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://localhost:{port}/_framework/blazor.web.js")).StatusCode);
        // The first-start banner.
        Assert.Contains("Vigil is running: http://localhost:" + port, server.Output);
    }

    [Fact]
    public async Task Vigil_takes_urls_and_a_data_directory()
    {
        var data = Path.Combine(_tool.Dir.Path, "my-data");
        var port = ServerProcess.FreePort();
        await using var server = ServerProcess.Start(_tool.Command,
            ["--urls", $"http://127.0.0.1:{port}", "--data", data, "--Vigil:Otlp:GrpcEndpoint="],
            _tool.Dir.Sub("cwd2"), new Dictionary<string, string?> { ["HOME"] = _tool.Dir.Sub("home2") });
        await server.WaitForAsync($"http://127.0.0.1:{port}/ready");
        Assert.True(File.Exists(Path.Combine(data, "vigil.db")));
        Assert.False(Directory.Exists(Path.Combine(_tool.Dir.Path, "home2", ".vigil")));
    }

    [Fact]
    public async Task Vigil_help_lists_its_options()
    {
        var output = await Cli.RunAsync(_tool.Command, ["--help"], _tool.Dir.Path);
        Assert.Contains("--port", output);
        Assert.Contains("--data", output);
        Assert.Contains("--urls", output);
    }
}
