namespace Vigil.Core.Replay;

public enum ReplayOutcomeKind { Ok, NotFound, Invalid, Conflict, Busy }

/// <summary>A replay service answer the API maps to a status code.</summary>
public sealed record ReplayOutcome<T>(ReplayOutcomeKind Kind, T? Value, string? Message = null, IDictionary<string, string[]>? Errors = null)
{
    public static ReplayOutcome<T> Ok(T value) => new(ReplayOutcomeKind.Ok, value);
    public static ReplayOutcome<T> NotFound(string message) => new(ReplayOutcomeKind.NotFound, default, message);
    public static ReplayOutcome<T> Invalid(IDictionary<string, string[]> errors) => new(ReplayOutcomeKind.Invalid, default, "One or more mutations are invalid.", errors);
    public static ReplayOutcome<T> Conflict(string message) => new(ReplayOutcomeKind.Conflict, default, message);
    public static ReplayOutcome<T> Busy(string message) => new(ReplayOutcomeKind.Busy, default, message);
}

/// <summary>An estimate: the stored run and the LLM spans it will re-run.</summary>
public sealed record ReplayEstimate(ReplayRun Run, IReadOnlyList<PlannedLlmSpan> LlmSpans);
