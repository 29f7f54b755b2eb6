namespace Vigil.Sdk.Tracing;

/// <summary>What a span represents; serialized in lower case on the wire.</summary>
public enum SpanKind
{
    Custom = 0,
    Llm,
    Tool,
    Chain,
    Retriever,
    Agent,
}

/// <summary>Outcome of a span; <see cref="Unset"/> until the span ends.</summary>
public enum SpanStatus
{
    Unset = 0,
    Ok,
    Error,
}

internal static class WireNames
{
    // Cached strings so serialization never formats enums.
    public static string Of(SpanKind kind) => kind switch
    {
        SpanKind.Llm => "llm",
        SpanKind.Tool => "tool",
        SpanKind.Chain => "chain",
        SpanKind.Retriever => "retriever",
        SpanKind.Agent => "agent",
        _ => "custom",
    };

    public static string Of(SpanStatus status) => status switch
    {
        SpanStatus.Ok => "ok",
        SpanStatus.Error => "error",
        _ => "unset",
    };
}
