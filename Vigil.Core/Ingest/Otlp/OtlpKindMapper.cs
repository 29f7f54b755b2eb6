using Vigil.Core.Traces;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>Vigil span kind from OpenInference's <c>openinference.span.kind</c> or the GenAI <c>gen_ai.operation.name</c>.</summary>
internal static class OtlpKindMapper
{
    public static string FromConventions(string? openInferenceKind, string? genAiOperation) =>
        FromOpenInference(openInferenceKind) ?? FromGenAiOperation(genAiOperation) ?? SpanKind.Custom;

    private static string? FromOpenInference(string? kind) => kind?.ToUpperInvariant() switch
    {
        "LLM" => SpanKind.Llm,
        "TOOL" => SpanKind.Tool,
        "CHAIN" => SpanKind.Chain,
        "RETRIEVER" or "EMBEDDING" or "RERANKER" => SpanKind.Retriever,
        "AGENT" => SpanKind.Agent,
        _ => null,
    };

    private static string? FromGenAiOperation(string? operation) => operation switch
    {
        "chat" or "completion" or "text_completion" or "generate_content" or "generate" => SpanKind.Llm,
        "embeddings" => SpanKind.Retriever,
        "execute_tool" => SpanKind.Tool,
        "invoke_agent" or "create_agent" => SpanKind.Agent,
        _ => null,
    };
}
