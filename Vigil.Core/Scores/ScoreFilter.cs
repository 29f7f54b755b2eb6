using System.Globalization;

namespace Vigil.Core.Scores;

/// <summary>
/// A trace-list condition on a score: <c>name&gt;=0.5</c>, <c>name&lt;3</c>, <c>name=true</c>, <c>name=good</c>,
/// <c>name!=bad</c>, or a bare <c>name</c> (has such a score). Operators: <c>= != &gt; &gt;= &lt; &lt;=</c>. A number compares
/// numeric scores (and booleans as 1/0), <c>true</c>/<c>false</c> compares booleans, any other value a category (= and != only).
/// A trace matches when any score of that name on it or its spans does.
/// </summary>
public sealed record ScoreFilter(string Name, string? Operator, double? Number, string? Category)
{
    public const string Syntax = "name, or name followed by one of = != > >= < <= and a number, true/false or a category (e.g. helpfulness>=0.5, thumbs=true, label=good)";

    private static readonly string[] Operators = [">=", "<=", "!=", "=", ">", "<"];

    public static bool TryParse(string? text, out ScoreFilter filter)
    {
        filter = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        var at = t.IndexOfAny(['=', '!', '>', '<']);
        if (at < 0)
        {
            if (t.Length > ScoreLimits.MaxNameLength) return false;
            filter = new ScoreFilter(t, null, null, null);
            return true;
        }
        var name = t[..at].Trim();
        var op = Operators.FirstOrDefault(o => t.AsSpan(at).StartsWith(o));
        if (name.Length is 0 or > ScoreLimits.MaxNameLength || op is null) return false;
        var value = t[(at + op.Length)..].Trim();
        if (value.Length == 0) return false;
        if (value is "true" or "false")
        {
            if (op is not ("=" or "!=")) return false;
            filter = new ScoreFilter(name, op, value == "true" ? 1 : 0, null);
            return true;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            filter = new ScoreFilter(name, op, number, null);
            return true;
        }
        if (op is not ("=" or "!=")) return false;
        filter = new ScoreFilter(name, op, null, value);
        return true;
    }

    /// <summary>The scores of <see cref="Name"/> that satisfy the condition (the caller scopes them to a project).</summary>
    public IQueryable<ScoreRecord> Apply(IQueryable<ScoreRecord> scores)
    {
        scores = scores.Where(s => s.Name == Name);
        if (Operator is null) return scores;
        if (Category is { } c) return Operator == "=" ? scores.Where(s => s.StringValue == c) : scores.Where(s => s.StringValue != c);
        var v = Number!.Value;
        return Operator switch
        {
            "=" => scores.Where(s => s.Value == v),
            "!=" => scores.Where(s => s.Value != null && s.Value != v),
            ">" => scores.Where(s => s.Value > v),
            ">=" => scores.Where(s => s.Value >= v),
            "<" => scores.Where(s => s.Value < v),
            _ => scores.Where(s => s.Value <= v),
        };
    }

    public override string ToString() => Operator is null ? Name
        : Name + Operator + (Category ?? Number!.Value.ToString(CultureInfo.InvariantCulture));
}
