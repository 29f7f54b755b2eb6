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
        < 0.01 => "$" + usd.Value.ToString("0.######", CultureInfo.InvariantCulture),
        _ => "$" + usd.Value.ToString("0.00##", CultureInfo.InvariantCulture),
    };

    public static string Time(long micros) => UnixMicros.ToDateTime(micros).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
