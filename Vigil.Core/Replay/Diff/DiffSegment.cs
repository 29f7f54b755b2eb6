namespace Vigil.Core.Replay.Diff;

/// <summary>One run of a text diff: op is equal | insert | delete.</summary>
public sealed record DiffSegment(string Op, string Text)
{
    public const string Equal = "equal";
    public const string Insert = "insert";
    public const string Delete = "delete";
}
