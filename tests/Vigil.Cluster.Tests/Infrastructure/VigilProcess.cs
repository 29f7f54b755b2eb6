using System.Collections.Concurrent;
using System.Diagnostics;

namespace Vigil.Tests.Cluster;

/// <summary>
/// Vigil.Web as a real process (<c>dotnet Vigil.Web.dll</c> from its build output) on a free loopback port, configured by
/// environment variables, for tests where an instance must die the way a process dies: <see cref="Kill"/>.
/// </summary>
public sealed class VigilProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private VigilProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }
    public int Pid => _process.Id;
    public string Output => string.Join('\n', _output);

    /// <summary>The Release (or Debug) build of Vigil.Web next to this test assembly's configuration.</summary>
    public static string WebDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var dll = Path.Combine(RepoRoot(), "Vigil.Web", "bin", configuration, "net10.0", "Vigil.Web.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build Vigil.Web first");
    }

    /// <summary>The checkout this test runs from (the folder of Vigil.sln).</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Vigil.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Vigil.sln not found above " + AppContext.BaseDirectory);
    }

    /// <param name="settings">Configuration keys (<c>Vigil:Replay:LeaseSeconds</c>), passed as environment variables.</param>
    public static async Task<VigilProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var dll = WebDll();
        var port = Vigil.Tests.RedisServer.FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Vigil__Otlp__GrpcEndpoint"] = ""; // no fixed port 4317: test processes run side by side
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (k, v) in settings) info.Environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var vigil = new VigilProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { BaseAddress = vigil.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"Vigil exited with {process.ExitCode}:\n{vigil.Output}");
            try
            {
                if ((await http.GetAsync("/ready")).IsSuccessStatusCode) return vigil;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (DateTime.UtcNow > deadline)
            {
                await vigil.DisposeAsync();
                throw new TimeoutException($"Vigil on port {port} did not get ready:\n{vigil.Output}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>SIGKILL: no shutdown, no lease given up, its connections just drop.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public HttpClient Client(string? apiKey = ClusterNode.ApiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
