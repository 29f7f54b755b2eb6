using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>
/// The attributes of one span that Vigil reads into typed columns or into input/output, collected in a single pass
/// over the span's attributes (a switch on the key, so no per-key scans). Reused across spans via <see cref="Clear"/>.
/// </summary>
internal sealed class LlmAttributes
{
    public string? OpenInferenceKind, GenAiOperation;
    public string? ResponseModel, RequestModel, LlmModelName;
    public string? ProviderName, GenAiSystem, LlmProvider;
    public long? InputTokens, OutputTokens, PromptTokens, CompletionTokens;
    public AnyValue? InputMessages, OutputMessages, SystemInstructions;
    public AnyValue? Temperature, MaxTokens, TopP, StopSequences, FinishReasons;
    public string? InvocationParameters;
    public string? InputValue, InputMimeType, OutputValue, OutputMimeType;
    public string? ToolName, ToolCallArguments, ToolCallResult;

    /// <summary>Indexed message attributes (OpenInference <c>llm.input_messages.N.message.*</c>, Traceloop <c>gen_ai.prompt.N.*</c>).</summary>
    public readonly SortedDictionary<int, IndexedMessage> IndexedInput = [];
    public readonly SortedDictionary<int, IndexedMessage> IndexedOutput = [];

    public string? Model => ResponseModel ?? RequestModel ?? LlmModelName;
    public string? Provider => ProviderName ?? GenAiSystem ?? LlmProvider;

    public void Clear()
    {
        OpenInferenceKind = GenAiOperation = ResponseModel = RequestModel = LlmModelName = null;
        ProviderName = GenAiSystem = LlmProvider = null;
        InputTokens = OutputTokens = PromptTokens = CompletionTokens = null;
        InputMessages = OutputMessages = SystemInstructions = null;
        Temperature = MaxTokens = TopP = StopSequences = FinishReasons = null;
        InvocationParameters = InputValue = InputMimeType = OutputValue = OutputMimeType = null;
        ToolName = ToolCallArguments = ToolCallResult = null;
        IndexedInput.Clear();
        IndexedOutput.Clear();
    }

    /// <summary>
    /// Records the attribute when it is one Vigil understands. Returns true when it is message content that goes into
    /// input/output and so is left out of metadata (it can be large, and storing it twice helps nobody).
    /// </summary>
    public bool Collect(KeyValue kv)
    {
        var v = kv.Value;
        switch (kv.Key)
        {
            case "openinference.span.kind": OpenInferenceKind = OtlpValueWriter.AsString(v); return false;
            case "gen_ai.operation.name": GenAiOperation = OtlpValueWriter.AsString(v); return false;
            case "gen_ai.response.model": ResponseModel = OtlpValueWriter.AsString(v); return false;
            case "gen_ai.request.model": RequestModel = OtlpValueWriter.AsString(v); return false;
            case "llm.model_name": LlmModelName = OtlpValueWriter.AsString(v); return false;
            case "gen_ai.provider.name": ProviderName = OtlpValueWriter.AsString(v); return false;
            case "gen_ai.system": GenAiSystem = OtlpValueWriter.AsString(v); return false;
            case "llm.provider": LlmProvider = OtlpValueWriter.AsString(v); return false;
            case "gen_ai.usage.input_tokens" or "gen_ai.usage.prompt_tokens": InputTokens ??= OtlpValueWriter.AsLong(v); return false;
            case "gen_ai.usage.output_tokens" or "gen_ai.usage.completion_tokens": OutputTokens ??= OtlpValueWriter.AsLong(v); return false;
            case "llm.token_count.prompt": PromptTokens = OtlpValueWriter.AsLong(v); return false;
            case "llm.token_count.completion": CompletionTokens = OtlpValueWriter.AsLong(v); return false;
            case "gen_ai.request.temperature": Temperature = v; return false;
            case "gen_ai.request.max_tokens": MaxTokens = v; return false;
            case "gen_ai.request.top_p": TopP = v; return false;
            case "gen_ai.request.stop_sequences": StopSequences = v; return false;
            case "gen_ai.response.finish_reasons": FinishReasons = v; return false;
            case "llm.invocation_parameters": InvocationParameters = OtlpValueWriter.AsString(v); return false;
            case "gen_ai.tool.name" or "tool.name": ToolName = OtlpValueWriter.AsString(v); return false;
            case "input.mime_type": InputMimeType = OtlpValueWriter.AsString(v); return false;
            case "output.mime_type": OutputMimeType = OtlpValueWriter.AsString(v); return false;
            case "gen_ai.input.messages": InputMessages = v; return true;
            case "gen_ai.output.messages": OutputMessages = v; return true;
            case "gen_ai.system_instructions": SystemInstructions = v; return true;
            case "input.value": InputValue = OtlpValueWriter.AsString(v); return true;
            case "output.value": OutputValue = OtlpValueWriter.AsString(v); return true;
            case "gen_ai.tool.call.arguments": ToolCallArguments = OtlpValueWriter.AsString(v); return true;
            case "gen_ai.tool.call.result": ToolCallResult = OtlpValueWriter.AsString(v); return true;
        }
        return CollectIndexed(kv.Key, v);
    }

    private bool CollectIndexed(string key, AnyValue? v)
    {
        // OpenInference: llm.input_messages.0.message.role / .content; Traceloop/OpenLLMetry: gen_ai.prompt.0.role / .content.
        if (key.StartsWith("llm.input_messages.", StringComparison.Ordinal))
            return Indexed(IndexedInput, key.AsSpan("llm.input_messages.".Length), "message.", v);
        if (key.StartsWith("llm.output_messages.", StringComparison.Ordinal))
            return Indexed(IndexedOutput, key.AsSpan("llm.output_messages.".Length), "message.", v);
        if (key.StartsWith("gen_ai.prompt.", StringComparison.Ordinal))
            return Indexed(IndexedInput, key.AsSpan("gen_ai.prompt.".Length), "", v);
        if (key.StartsWith("gen_ai.completion.", StringComparison.Ordinal))
            return Indexed(IndexedOutput, key.AsSpan("gen_ai.completion.".Length), "", v);
        return false;
    }

    private static bool Indexed(SortedDictionary<int, IndexedMessage> into, ReadOnlySpan<char> rest, string fieldPrefix, AnyValue? v)
    {
        var dot = rest.IndexOf('.');
        if (dot <= 0 || !int.TryParse(rest[..dot], out var index) || index < 0) return false;
        var field = rest[(dot + 1)..];
        if (!field.StartsWith(fieldPrefix, StringComparison.Ordinal)) return false;
        field = field[fieldPrefix.Length..];
        var text = OtlpValueWriter.AsString(v);
        if (field.SequenceEqual("role")) Get(into, index).Role = text;
        else if (field.SequenceEqual("content")) Get(into, index).Content = text;
        else if (field.SequenceEqual("finish_reason")) Get(into, index).FinishReason = text;
        // OpenInference multi-part content: message.contents.N.message_content.text
        else if (field.StartsWith("contents.", StringComparison.Ordinal) && field.EndsWith(".message_content.text", StringComparison.Ordinal))
        {
            var m = Get(into, index);
            m.Content = m.Content is null ? text : m.Content + "\n" + text;
        }
        // Other per-message fields (tool calls, names) stay in metadata.
        else return false;
        return true;
    }

    private static IndexedMessage Get(SortedDictionary<int, IndexedMessage> into, int index)
    {
        if (!into.TryGetValue(index, out var m)) into[index] = m = new IndexedMessage();
        return m;
    }

    internal sealed class IndexedMessage
    {
        public string? Role, Content, FinishReason;
    }
}
