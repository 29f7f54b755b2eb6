using System.Globalization;
using Vigil.Core.Scores;

namespace Vigil.Web.Components.Scores;

/// <summary>
/// One score name of a trace at a glance, for lists: the mean of numbers, the share of "yes" of booleans, the latest
/// category. <see cref="Tone"/> colours it: below 0.5 reads as bad, 0.5 and up as good, categories neutral.
/// </summary>
public sealed record ScoreDigest(string Name, string Text, int Count, ScoreTone Tone)
{
    public static IReadOnlyList<ScoreDigest> Of(IEnumerable<ScoreRecord> scores) => scores
        .GroupBy(s => s.Name, StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(Digest)
        .ToList();

    private static ScoreDigest Digest(IGrouping<string, ScoreRecord> g)
    {
        var list = g.ToList();
        var last = list[^1];
        if (last.DataType == ScoreDataType.Categorical) return new(g.Key, last.StringValue ?? "", list.Count, ScoreTone.Neutral);
        var numbers = list.Where(s => s.Value is not null).Select(s => s.Value!.Value).ToList();
        if (numbers.Count == 0) return new(g.Key, "–", list.Count, ScoreTone.Neutral);
        var mean = numbers.Average();
        if (last.DataType == ScoreDataType.Boolean)
        {
            var text = numbers.Count == 1 ? (mean > 0 ? "yes" : "no") : $"{numbers.Count(v => v > 0)} yes · {numbers.Count(v => v <= 0)} no";
            return new(g.Key, text, list.Count, mean >= 0.5 ? ScoreTone.Good : ScoreTone.Bad);
        }
        var tone = mean is >= 0 and <= 1 ? (mean >= 0.5 ? ScoreTone.Good : ScoreTone.Bad) : ScoreTone.Neutral;
        return new(g.Key, mean.ToString("0.##", CultureInfo.InvariantCulture), list.Count, tone);
    }
}

public enum ScoreTone { Neutral, Good, Bad }
