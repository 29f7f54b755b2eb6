using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Vigil.Tests;

/// <summary>
/// Vigil.Web as its own OS process (<c>dotnet Vigil.Web.dll</c> from the test's output folder), configured through
/// environment variables, on a free port of 127.0.0.1. <see cref="Kill"/> ends it abruptly (SIGKILL, no graceful
/// shutdown), which is what a crash or a power cut does to the outbox.
/// </summary>
public sealed partial class VigilProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Everything it printed so far (for failure messages).</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    private VigilProcess(IReadOnlyDictionary<string, string> environment, IEnumerable<string> unset, string? workingDirectory)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Vigil.Web.dll"));
        psi.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        // No OTLP/gRPC listener on the fixed default port 4317 (another server on the machine may hold it).
        psi.Environment["Vigil__Otlp__GrpcEndpoint"] = "";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        psi.Environment["Logging__LogLevel__Vigil.Core.Alerting"] = "Information";
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        foreach (var k in unset) psi.Environment.Remove(k);
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"Vigil exited with code {_process.ExitCode} before it listened:\n" + Output));
    }

    /// <param name="unset">Variables removed from what the process inherits and the defaults above (e.g. to run with a built-in default).</param>
    /// <param name="workingDirectory">The process's current directory, which is also its content root (default: the test's output folder).</param>
    public static async Task<VigilProcess> StartAsync(IReadOnlyDictionary<string, string> environment, double timeoutSeconds = 90, IEnumerable<string>? unset = null,
        string? workingDirectory = null)
    {
        var p = new VigilProcess(environment, unset ?? [], workingDirectory);
        p._process.Start();
        p._process.BeginOutputReadLine();
        p._process.BeginErrorReadLine();
        try
        {
            p.BaseAddress = await p._listening.Task.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds));
            using var http = new HttpClient { BaseAddress = p.BaseAddress };
            var until = DateTime.UtcNow.AddSeconds(timeoutSeconds);
            while (!(await TryAsync(() => http.GetAsync("/ready"))) && DateTime.UtcNow < until) await Task.Delay(100);
        }
        catch
        {
            await p.DisposeAsync();
            throw;
        }
        return p;
    }

    private static async Task<bool> TryAsync(Func<Task<HttpResponseMessage>> get)
    {
        try { using var r = await get(); return r.IsSuccessStatusCode; }
        catch (HttpRequestException) { return false; }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (ListeningLine().Match(line) is { Success: true } m) _listening.TrySetResult(new Uri(m.Groups[1].Value));
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    /// <summary>Ends the process at once (SIGKILL): no shutdown hooks, no flush, like a crash.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
