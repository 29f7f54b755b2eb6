using Vigil.Core.Live;

namespace Vigil.Web.Components.Live;

/// <summary>The live page's filters; empty means "any".</summary>
public sealed record LiveFilter(string? Kind = null, string? Status = null, string? Name = null, string? Model = null)
{
    public bool Matches(SpanSummary s) =>
        (string.IsNullOrEmpty(Kind) || s.Kind == Kind)
        && (string.IsNullOrEmpty(Status) || s.Status == Status)
        && (string.IsNullOrEmpty(Name) || s.Name.Contains(Name, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(Model) || (s.Model?.Contains(Model, StringComparison.OrdinalIgnoreCase) ?? false));
}
