namespace Vigil.Core.Storage;

/// <summary>Builds a LIKE pattern that matches <paramref name="text"/> literally anywhere (escape character '\').</summary>
public static class Like
{
    public const string Escape = "\\";

    public static string Contains(string text) =>
        "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
