using System.Text.RegularExpressions;

namespace Vigil.Core.Projects;

public static partial class ProjectSlug
{
    public const string Rule = "lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters";

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);
}
