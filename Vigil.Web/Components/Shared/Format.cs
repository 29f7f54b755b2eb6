using System.Globalization;
using Vigil.Core.Storage;

namespace Vigil.Web.Components.Shared;

/// <summary>How numbers and times read in the dashboard.</summary>
public static class Format
{
    public static string Duration(double? ms) => ms switch
    {
        null => "running",
        < 1 => $"{ms.Value.ToString("0.##", CultureInfo.InvariantCulture)} ms",
        < 1000 => $"{ms.Value.ToString("0", CultureInfo.InvariantCulture)} ms",
        < 60_000 => $"{(ms.Value / 1000).ToString("0.00", CultureInfo.InvariantCulture)} s",
        _ => $"{(int)(ms.Value / 60_000)} m {((ms.Value % 60_000) / 1000).ToString("0", CultureInfo.InvariantCulture)} s",
    };

    public static string Cost(double? usd) => usd switch
    {
        null => "–",
        0 => "$0",
        < MinShownCost and > 0 => "<$0.0000000001",
        // Three significant digits with their zeros ("$0.00230", "$0.000182"), so a column of span costs lines up.
        < 0.01 and > 0 when SmallCost(usd.Value) is { } small => small,
        < 0.01 and not > 0 => "$" + usd.Value.ToString("0.######", CultureInfo.InvariantCulture),
        < 100 => "$" + usd.Value.ToString("0.00##", CultureInfo.InvariantCulture),
        // A project's totals: cents and thousands separators ("$2,164.99", not "$2164.9944").
        _ => "$" + usd.Value.ToString("#,0.00", CultureInfo.InvariantCulture),
    };

    private const double MinShownCost = 1e-10;

    /// <summary>Three significant digits, rounded before the decimals are chosen (0.0009996 → "$0.00100"); null when it rounds to a cent or more.</summary>
    private static string? SmallCost(double usd)
    {
        var decimals = Math.Min(10, 2 - (int)Math.Floor(Math.Log10(usd)));
        var rounded = Math.Round(usd, decimals);
        if (rounded >= 0.01) return null;
        decimals = Math.Min(10, 2 - (int)Math.Floor(Math.Log10(rounded))); // one decade up after rounding: one decimal less
        return "$" + rounded.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    /// <summary>"3 min ago" for recent times, the date otherwise: the list reads at a glance, the tooltip has the exact time.</summary>
    public static string Ago(long micros, DateTimeOffset now)
    {
        var age = now.UtcDateTime - UnixMicros.ToDateTime(micros);
        return age.TotalSeconds switch
        {
            < 0 => Time(micros),
            < 60 => $"{(int)age.TotalSeconds} s ago",
            < 3600 => $"{(int)age.TotalMinutes} min ago",
            < 86400 => $"{(int)age.TotalHours} h ago",
            _ => UnixMicros.ToDateTime(micros).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>An offset from the trace start, e.g. "+1.25 s".</summary>
    public static string Offset(double ms) => "+" + Duration(ms);

    public static string Tokens(long? input, long? output) => (input, output) switch
    {
        (null, null) => "–",
        _ => $"{(input ?? 0).ToString("N0", CultureInfo.InvariantCulture)} in · {(output ?? 0).ToString("N0", CultureInfo.InvariantCulture)} out",
    };

    public static string Time(long micros) => UnixMicros.ToDateTime(micros).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
