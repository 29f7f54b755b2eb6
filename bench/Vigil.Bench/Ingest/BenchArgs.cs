using System.Globalization;

namespace Vigil.Bench.Ingest;

/// <summary>Tiny "--name value" parser for the bench scenarios.</summary>
public sealed class BenchArgs(string[] args)
{
    public string String(string name, string fallback)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public int Int(string name, int fallback) => int.Parse(String(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
