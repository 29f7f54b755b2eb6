namespace Vigil.Core.Traces;

public static class SpanStatus
{
    public const string Ok = "ok";
    public const string Error = "error";
    public const string Unset = "unset";

    public static readonly IReadOnlyList<string> All = [Ok, Error, Unset];

    public static bool IsValid(string value) => value is Ok or Error or Unset;
}
