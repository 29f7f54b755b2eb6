using Vigil.Core.Traces;

namespace Vigil.Web.Components.Traces;

/// <summary>A visible row of the span grid after collapse and search were applied.</summary>
/// <param name="Collapsed">The node has children and they are hidden.</param>
/// <param name="Match">The node matches the search (false for ancestors kept only for context; true without a search).</param>
public sealed record SpanRow(SpanNode Node, bool Collapsed, bool Match);
