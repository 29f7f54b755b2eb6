using System.Diagnostics;
using System.Text;

namespace Vigil.Distribution.Tests.Infrastructure;

/// <summary>Runs a command to completion and fails with its output when it fails.</summary>
public static class Cli
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, string workingDirectory,
        IDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var psi = Start(file, args, workingDirectory, environment);
        using var process = Process.Start(psi)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish:\n{output}");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}:\n{output}");
        return output.ToString();
    }

    public static ProcessStartInfo Start(string file, IEnumerable<string> args, string workingDirectory, IDictionary<string, string?>? environment)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        // dotnet test hands its MSBuild and VSTest settings down to the test host; a child build runs as from a user's shell.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("_MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        if (environment is not null)
            foreach (var (k, v) in environment)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        return psi;
    }

    public static Task<string> DotnetAsync(string workingDirectory, params string[] args) => RunAsync("dotnet", args, workingDirectory);
}
