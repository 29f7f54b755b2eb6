using Vigil.Core.Ingest.Otlp;

namespace Vigil.Core.Ingest.Logs;

/// <summary>A chat message read from a GenAI log event, with the record's time (what tells a resent record from a new one).</summary>
internal sealed record LoggedMessage(ChatMessage Message, ulong TimeUnixNano);
