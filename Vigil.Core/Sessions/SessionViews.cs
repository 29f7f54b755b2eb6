using Vigil.Core.Traces;

namespace Vigil.Core.Sessions;

/// <summary>A session row of the list with the end users its traces belong to.</summary>
public sealed record SessionSummary(SessionRecord Session, IReadOnlyList<string> UserIds);

/// <summary>A session with its traces, oldest first (at most the requested number).</summary>
public sealed record SessionDetail(SessionRecord Session, IReadOnlyList<string> UserIds, IReadOnlyList<TraceRecord> Traces);

/// <summary>One turn of a conversation: a trace and the spans that carry what was said (root, LLM and failed spans, in time order).</summary>
public sealed record SessionTurn(TraceRecord Trace, IReadOnlyList<SpanRecord> Spans);

/// <summary>An end user with their most recent sessions.</summary>
public sealed record EndUserDetail(EndUserRecord User, IReadOnlyList<SessionSummary> Sessions);

/// <summary>Cost, tokens and traces of one time bucket.</summary>
public sealed record UsagePoint(DateTime Time, int Traces, long Tokens, double CostUsd);
