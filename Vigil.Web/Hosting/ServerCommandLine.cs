namespace Vigil.Web.Hosting;

/// <summary>
/// How the server starts, from source (<c>dotnet run --project Vigil.Web</c>) or as the <c>vigil</c> .NET tool
/// (package Vigil.Server): <c>--port</c>, <c>--data</c>, <c>--urls</c> and any configuration key as
/// <c>--Vigil:Section:Key=value</c>. Installed as a tool, the app's own folder is its content root (appsettings.json,
/// wwwroot) and the data directory defaults to <c>~/.vigil</c>; from source, the database stays where it was
/// (<c>vigil.db</c> in the working directory).
/// </summary>
public static class ServerCommandLine
{
    public const string DataDirectorySetting = "Vigil:DataDirectory";

    public const string Usage = """
        vigil: the Vigil server (dashboard, HTTP API, OTLP/HTTP and OTLP/gRPC ingest)

          --port <port>     listen on http://localhost:<port> (default 5000)
          --urls <urls>     listen on these URLs instead, ';'-separated (e.g. http://0.0.0.0:5000)
          --data <dir>      keep the SQLite database and the key ring here (default ~/.vigil for the tool)
          --Key=value       any setting, e.g. --Vigil:Otlp:GrpcEndpoint=http://localhost:4317 (see the README)
        """;

    /// <summary>True when running from an installed .NET tool (its package carries DotnetToolSettings.xml next to the app).</summary>
    public static bool IsInstalledTool => File.Exists(Path.Combine(AppContext.BaseDirectory, "DotnetToolSettings.xml"));

    /// <summary>The builder options: the arguments, and the content root when installed as a tool.</summary>
    public static WebApplicationOptions Options(string[] args) => new()
    {
        // Options are read and validated once at start-up. Watching appsettings.json for changes would watch the whole
        // content root, where the default SQLite file and its WAL change thousands of times a second during ingest.
        Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"],
        ContentRootPath = IsInstalledTool ? AppContext.BaseDirectory : null,
    };

    /// <summary>Applies <c>--port</c> and the data directory to the configuration, before any service reads it.</summary>
    public static WebApplicationBuilder UseVigilCommandLine(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (config["port"] is { Length: > 0 } port && string.IsNullOrEmpty(config[WebHostDefaults.ServerUrlsKey]))
        {
            if (!int.TryParse(port, out var p) || p is < 0 or > 65535)
                throw new ArgumentException($"--port '{port}' is not a port number.");
            builder.WebHost.UseUrls($"http://localhost:{p}");
        }

        var dataDirectory = config["data"] is { Length: > 0 } data ? data
            : config[DataDirectorySetting] is { Length: > 0 } configured ? configured
            : IsInstalledTool ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify), ".vigil")
            : null;
        if (dataDirectory is not null && config.GetConnectionString("Vigil") is null)
        {
            dataDirectory = Path.GetFullPath(dataDirectory, builder.Environment.ContentRootPath);
            Directory.CreateDirectory(dataDirectory);
            config["ConnectionStrings:Vigil"] = $"Data Source={Path.Combine(dataDirectory, "vigil.db")}";
        }
        return builder;
    }
}
