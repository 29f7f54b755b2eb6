using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Vigil.E2E.Tests.Cluster;

/// <summary>
/// Debian's nginx running the shipped <c>deploy/nginx/vigil.conf</c> in front of two instances: the same file, with only
/// its two upstream servers and its listen address replaced by loopback ones. Its own prefix, pid and logs live in a temp
/// folder; disposing stops it.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private NginxProxy(Process process, string dir, Uri baseAddress)
    {
        _process = process;
        _dir = dir;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string ErrorLog => File.Exists(Path.Combine(_dir, "error.log")) ? File.ReadAllText(Path.Combine(_dir, "error.log")) : "";

    public static string ShippedConfig()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Vigil.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Vigil.sln not found"), "deploy", "nginx", "vigil.conf");
    }

    public static async Task<NginxProxy> StartAsync(Uri first, Uri second)
    {
        var exe = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
        var dir = Path.Combine(Path.GetTempPath(), "vigil-nginx-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        // Worker processes may run as another user (nobody): let them write their temp files.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        var port = FreePort();
        var conf = File.ReadAllText(ShippedConfig());
        conf = ReplaceOnce(conf, "server vigil-1:5000", $"server 127.0.0.1:{first.Port}");
        conf = ReplaceOnce(conf, "server vigil-2:5000", $"server 127.0.0.1:{second.Port}");
        conf = ReplaceOnce(conf, "listen 80;", $"listen 127.0.0.1:{port};");
        File.WriteAllText(Path.Combine(dir, "vigil.conf"), conf);
        // What the nginx image's own nginx.conf provides around conf.d/*.conf.
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), $$"""
            daemon off;
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 512; }
            http {
                access_log off;
                client_body_temp_path {{dir}}/client_body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;
                include {{dir}}/vigil.conf;
            }
            """);
        var info = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-p", dir, "-e", Path.Combine(dir, "error.log"), "-c", Path.Combine(dir, "nginx.conf") }) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("nginx did not start (scripts/test.sh installs it)");
        var proxy = new NginxProxy(process, dir, new Uri($"http://127.0.0.1:{port}/"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()} {proxy.ErrorLog}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return proxy;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline) { await Task.Delay(50); }
        }
    }

    private static string ReplaceOnce(string text, string what, string with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(what, at + 1, StringComparison.Ordinal) >= 0)
            throw new InvalidOperationException($"deploy/nginx/vigil.conf should contain '{what}' exactly once");
        return text[..at] + with + text[(at + what.Length)..];
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
