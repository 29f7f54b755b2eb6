namespace Vigil.Core.Scores;

public static class ScoreLimits
{
    public const int MaxNameLength = 200;
    public const int MaxCategoryLength = 500;
    public const int MaxCommentLength = 4000;
}
