namespace Vigil.Web.Components.Traces;

/// <summary>What went wrong in a span: read from <c>metadata.error</c> or an <c>exception</c> event.</summary>
public sealed record SpanError(string? Type, string Message, string? StackTrace);
