using System.Text.Json.Nodes;

namespace Vigil.Core.Replay.Diff;

/// <summary>One difference between two JSON documents at a path like <c>messages[0].content</c>; op is changed | added | removed.</summary>
public sealed record JsonChange(string Path, string Op, JsonNode? Before, JsonNode? After)
{
    public const string Changed = "changed";
    public const string Added = "added";
    public const string Removed = "removed";
}
