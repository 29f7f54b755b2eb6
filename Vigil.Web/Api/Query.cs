using System.Globalization;

namespace Vigil.Web.Api;

/// <summary>Query-string parsing with errors that name the parameter (the framework's binder answers a bare 400).</summary>
public sealed class QueryErrors
{
    private readonly Dictionary<string, string[]> _errors = [];

    public bool Any => _errors.Count > 0;
    public IDictionary<string, string[]> Errors => _errors;

    public void Add(string field, string message) => _errors[field] = [message];

    public int Int(string? value, string field, int fallback, int min, int max)
    {
        if (string.IsNullOrEmpty(value)) return fallback;
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        Add(field, $"must be an integer from {min} to {max}");
        return fallback;
    }

    public DateTimeOffset? Date(string? value, string field)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)) return d;
        Add(field, "must be an ISO 8601 date or timestamp");
        return null;
    }

    public bool? Bool(string? value, string field)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (bool.TryParse(value, out var b)) return b;
        Add(field, "must be true or false");
        return null;
    }

    public string? OneOf(string? value, string field, IReadOnlyList<string> allowed)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (allowed.Contains(value)) return value;
        Add(field, $"must be one of {string.Join(", ", allowed)}");
        return null;
    }
}
