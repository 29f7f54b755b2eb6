using System.Text.RegularExpressions;

namespace Vigil.Distribution.Tests.Infrastructure;

/// <summary>
/// Runs the build stage of deploy/Dockerfile the way Docker would, minus the base image (none can be pulled here): its
/// WORKDIR, COPY (honouring Dockerfile.dockerignore) and RUN instructions, in a scratch folder that stands for the
/// container's root. What the stage forgets to copy, the restore or publish in it misses too.
/// </summary>
public sealed partial class DockerBuildStage(string dockerfile, string context, string root)
{
    private string _workdir = "/";

    /// <summary>The container path as a path under <see cref="root"/>.</summary>
    public string Map(string containerPath) => Path.Combine(root, containerPath.TrimStart('/'));

    public async Task RunAsync(string stage)
    {
        var ignore = IgnorePatterns(dockerfile + ".dockerignore");
        foreach (var (instruction, argument) in Instructions(stage))
        {
            switch (instruction)
            {
                case "WORKDIR":
                    _workdir = argument.StartsWith('/') ? argument : Path.Combine(_workdir, argument);
                    Directory.CreateDirectory(Map(_workdir));
                    break;
                case "COPY":
                    var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts[0].StartsWith("--", StringComparison.Ordinal)) throw new NotSupportedException($"COPY {argument}");
                    var dest = parts[^1].StartsWith('/') ? parts[^1] : Path.Combine(_workdir, parts[^1]);
                    foreach (var source in parts[..^1]) Copy(Path.Combine(context, source), Map(dest), dest.EndsWith('/') || parts.Length > 2, ignore);
                    break;
                case "RUN":
                    // Absolute container paths in the command point into the scratch root.
                    var command = ContainerPath().Replace(argument, m => m.Groups[1].Value + Map(m.Groups[2].Value));
                    await Cli.RunAsync("bash", ["-c", command], Map(_workdir), timeout: TimeSpan.FromMinutes(10));
                    break;
            }
        }
    }

    /// <summary>ENV settings of a stage (KEY=value pairs, continued lines joined).</summary>
    public Dictionary<string, string> Environment(string stage)
    {
        var env = new Dictionary<string, string>();
        foreach (var (instruction, argument) in Instructions(stage))
            if (instruction == "ENV")
                foreach (Match m in EnvPair().Matches(argument)) env[m.Groups[1].Value] = m.Groups[2].Value;
        return env;
    }

    /// <summary>The instructions of the stage named <paramref name="stage"/> (<c>FROM … AS stage</c>), continuation lines joined.</summary>
    private IEnumerable<(string Instruction, string Argument)> Instructions(string stage)
    {
        var text = Regex.Replace(File.ReadAllText(dockerfile), @"\\\r?\n\s*", " ");
        var inStage = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var space = line.IndexOf(' ');
            var instruction = line[..space].ToUpperInvariant();
            var argument = line[(space + 1)..].Trim();
            if (instruction == "FROM") { inStage = argument.EndsWith($" AS {stage}", StringComparison.OrdinalIgnoreCase); continue; }
            if (inStage) yield return (instruction, argument);
        }
    }

    private static void Copy(string source, string dest, bool intoDirectory, List<Regex> ignore)
    {
        if (Directory.Exists(source))
        {
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(source, file).Replace('\\', '/');
                var fromContext = Path.GetRelativePath(Path.GetDirectoryName(source.TrimEnd('/'))!, file).Replace('\\', '/');
                if (ignore.Any(r => r.IsMatch(fromContext) || r.IsMatch(relative))) continue;
                var target = Path.Combine(dest, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
            }
            return;
        }
        if (!File.Exists(source)) throw new FileNotFoundException($"COPY source {source} does not exist");
        var to = intoDirectory ? Path.Combine(dest, Path.GetFileName(source)) : dest;
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(source, to, overwrite: true);
    }

    /// <summary>The ignore file's patterns as regexes over context-relative paths (<c>**/</c> any folders, <c>*</c> within one, a trailing <c>/</c> a whole folder).</summary>
    private static List<Regex> IgnorePatterns(string path) => !File.Exists(path) ? [] : File.ReadAllLines(path)
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(p => new Regex("^" + Regex.Escape(p.TrimEnd('/')).Replace(@"\*\*/", "(.*/)?").Replace(@"\*", "[^/]*") + (p.EndsWith('/') ? "(/.*)?$" : "$")))
        .ToList();

    [GeneratedRegex(@"(^|\s)(/(?:app|src|data)\b[^\s]*)")]
    private static partial Regex ContainerPath();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(\S+)")]
    private static partial Regex EnvPair();
}
