using System.Diagnostics;
using System.Net;
using Vigil.Tests;

namespace Vigil.Web.Tests.Hosting;

/// <summary>
/// The README's run command on a fresh clone: <c>dotnet run --project Vigil.Web</c> starts in Development with the project
/// folder as its current directory and content root, and no configuration of its own. Here a real server process runs
/// that way in a throwaway git repository holding the clone's <c>.gitignore</c> and the app's settings files.
/// </summary>
[Trait("Provider", "Sqlite")] // the no-configuration start is SQLite
public sealed class FreshCloneStartTests : IDisposable
{
    private readonly string _clone = Path.Combine(Path.GetTempPath(), "vigil-clone-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>
    /// Findings: a first start wrote the key ring into the source tree where <c>git add .</c> would publish it, and logged
    /// warnings nobody running Vigil can act on. Now the start prints no warning and leaves <c>git status</c> clean.
    /// </summary>
    [Fact]
    public async Task A_first_start_from_a_fresh_clone_prints_no_warning_and_leaves_git_status_clean()
    {
        var repo = Repository.Root;
        var web = Path.Combine(_clone, "Vigil.Web");
        Directory.CreateDirectory(web);
        File.Copy(Path.Combine(repo, ".gitignore"), Path.Combine(_clone, ".gitignore"));
        foreach (var settings in Directory.GetFiles(Path.Combine(repo, "Vigil.Web"), "appsettings*.json"))
            File.Copy(settings, Path.Combine(web, Path.GetFileName(settings)));
        Git("init", "-q");
        Git("add", "-A");
        Git("-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", "commit", "-qm", "clone");

        await using (var vigil = await VigilProcess.StartAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development", // what launchSettings.json gives dotnet run
            // The default gRPC port 4317 may be held by another test of this run; a taken default is a warning of its own.
            ["Vigil__Otlp__GrpcEndpoint"] = "",
        }, unset: InheritedSettings(), workingDirectory: web))
        {
            using var http = vigil.Client();
            // The sign-in page issues an antiforgery token: the key ring gets its first key.
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/account/login")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/ready")).StatusCode);

            var lines = vigil.Output.Split('\n');
            Assert.True(!lines.Any(l => l.StartsWith("warn:") || l.StartsWith("fail:") || l.StartsWith("crit:")), vigil.Output);
            // The banner says where the data and the keys are, and both are in the ignored data folder.
            var data = Path.Combine(web, "data");
            Assert.Contains(data, vigil.Output);
            Assert.True(File.Exists(Path.Combine(data, "vigil.db")), vigil.Output);
            Assert.NotEmpty(Directory.GetFiles(data, "*.xml", SearchOption.AllDirectories));
        }

        Assert.Equal("", Git("status", "--porcelain", "--untracked-files=all"));
    }

    /// <summary>
    /// A fresh clone's start has no settings of its own: the runner's (a developer's Vigil__*, ConnectionStrings__*, a JSON
    /// log format) and VigilProcess's log levels are removed, so the process reads only the clone's appsettings files.
    /// </summary>
    private static string[] InheritedSettings()
    {
        string[] prefixes = ["Vigil__", "ConnectionStrings__", "Logging__", "Kestrel__", "ASPNETCORE_", "DOTNET_ENVIRONMENT"];
        string[] ours = ["ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "Vigil__Otlp__GrpcEndpoint"];
        return [.. Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => prefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase)) && !ours.Contains(k))
            .Concat(["Logging__LogLevel__Default", "Logging__LogLevel__Microsoft.Hosting.Lifetime", "Logging__LogLevel__Vigil.Core.Alerting"])
            .Distinct()];
    }

    /// <summary>git in the throwaway repository only: none of the caller's GIT_* (a hook's GIT_DIR), config, hooks or signing.</summary>
    private string Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = _clone, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)))
            psi.Environment.Remove(key);
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("core.hooksPath=/dev/null");
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var git = Process.Start(psi)!;
        var output = git.StandardOutput.ReadToEnd();
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', args)}: {error}");
        return output.Trim();
    }

    public void Dispose()
    {
        try { Directory.Delete(_clone, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
