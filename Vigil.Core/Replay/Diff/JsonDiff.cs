using System.Text.Json.Nodes;

namespace Vigil.Core.Replay.Diff;

/// <summary>Structural diff of two JSON values: the changed, added and removed leaf paths (arrays compared by index).</summary>
public static class JsonDiff
{
    public static List<JsonChange> Compare(JsonNode? before, JsonNode? after, IReadOnlySet<string>? ignoreTopLevel = null)
    {
        var changes = new List<JsonChange>();
        Walk("", before, after, changes, ignoreTopLevel);
        return changes;
    }

    private static void Walk(string path, JsonNode? a, JsonNode? b, List<JsonChange> changes, IReadOnlySet<string>? ignore)
    {
        if (a is JsonObject ao && b is JsonObject bo)
        {
            foreach (var (key, av) in ao)
            {
                if (path.Length == 0 && ignore?.Contains(key) == true) continue;
                var p = path.Length == 0 ? key : $"{path}.{key}";
                if (bo.TryGetPropertyValue(key, out var bv)) Walk(p, av, bv, changes, null);
                else changes.Add(new JsonChange(p, JsonChange.Removed, av?.DeepClone(), null));
            }
            foreach (var (key, bv) in bo)
            {
                if (path.Length == 0 && ignore?.Contains(key) == true) continue;
                if (!ao.ContainsKey(key)) changes.Add(new JsonChange(path.Length == 0 ? key : $"{path}.{key}", JsonChange.Added, null, bv?.DeepClone()));
            }
            return;
        }
        if (a is JsonArray aa && b is JsonArray ba)
        {
            for (var i = 0; i < Math.Max(aa.Count, ba.Count); i++)
            {
                var p = $"{path}[{i}]";
                if (i >= ba.Count) changes.Add(new JsonChange(p, JsonChange.Removed, aa[i]?.DeepClone(), null));
                else if (i >= aa.Count) changes.Add(new JsonChange(p, JsonChange.Added, null, ba[i]?.DeepClone()));
                else Walk(p, aa[i], ba[i], changes, null);
            }
            return;
        }
        if (!JsonNode.DeepEquals(a, b))
        {
            var op = a is null ? JsonChange.Added : b is null ? JsonChange.Removed : JsonChange.Changed;
            changes.Add(new JsonChange(path.Length == 0 ? "$" : path, op, a?.DeepClone(), b?.DeepClone()));
        }
    }
}
