namespace Vigil.Web.Components.Traces;

/// <summary>One message of a conversation read out of a span's input or output.</summary>
public sealed record ChatMessage(string Role, IReadOnlyList<ChatPart> Parts, string? Name = null);

/// <summary>A piece of a message: text, a tool call, a tool result, or something else shown as JSON.</summary>
public abstract record ChatPart;

public sealed record TextPart(string Text) : ChatPart;

/// <param name="Arguments">The arguments as (pretty) JSON text.</param>
public sealed record ToolCallPart(string? Id, string Name, string Arguments) : ChatPart;

public sealed record ToolResultPart(string? ToolCallId, string Content, bool IsError) : ChatPart;

/// <summary>A block the dashboard does not render specially (image, audio, ...): its type and raw JSON.</summary>
public sealed record OtherPart(string Type, string Json) : ChatPart;
