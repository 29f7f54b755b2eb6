namespace Vigil.Core.Traces;

public static class SpanKind
{
    public const string Llm = "llm";
    public const string Tool = "tool";
    public const string Chain = "chain";
    public const string Retriever = "retriever";
    public const string Agent = "agent";
    public const string Custom = "custom";

    public static readonly IReadOnlyList<string> All = [Llm, Tool, Chain, Retriever, Agent, Custom];

    public static bool IsValid(string value) => value is Llm or Tool or Chain or Retriever or Agent or Custom;
}
