using Vigil.Core.Traces;

namespace Vigil.Web.Components.Traces;

/// <summary>The span search of the trace view: a case-insensitive substring over what a user sees or remembers of a span.</summary>
public static class SpanSearch
{
    public static Func<SpanRecord, bool>? Create(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        return s => Has(s.Name, t) || Has(s.Kind, t) || Has(s.Model, t) || Has(s.SpanId, t) || s.Status == t
            || Has(s.Input, t) || Has(s.Output, t);
    }

    private static bool Has(string? value, string text) => value is not null && value.Contains(text, StringComparison.OrdinalIgnoreCase);
}
