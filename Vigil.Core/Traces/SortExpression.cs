namespace Vigil.Core.Traces;

/// <summary>
/// The direction syntax every list's <c>sort</c> shares: a field with a leading <c>-</c>/<c>+</c> or a
/// <c>_desc</c>/<c>_asc</c> (or <c>:desc</c>/<c>:asc</c>) suffix. Each list maps the bare field itself.
/// </summary>
public static class SortExpression
{
    /// <summary>Splits <paramref name="value"/> into a lower-case field and a direction (null: none given).</summary>
    public static (string Field, bool? Descending) Split(string value)
    {
        var v = value.Trim().ToLowerInvariant();
        bool? desc = null;
        if (v.StartsWith('-')) { desc = true; v = v[1..]; }
        else if (v.StartsWith('+')) { desc = false; v = v[1..]; }
        if (v.EndsWith("_desc") || v.EndsWith(":desc")) { desc = true; v = v[..^5]; }
        else if (v.EndsWith("_asc") || v.EndsWith(":asc")) { desc = false; v = v[..^4]; }
        return (v, desc);
    }
}
