namespace Vigil.Core.Alerting;

public enum AlertingOutcomeKind { Ok, NotFound, Invalid }

/// <summary>A channel or monitor service answer the API maps to a status code (errors name their field).</summary>
public sealed record AlertingOutcome<T>(AlertingOutcomeKind Kind, T? Value, string? Message = null, IDictionary<string, string[]>? Errors = null)
{
    public static AlertingOutcome<T> Ok(T value) => new(AlertingOutcomeKind.Ok, value);
    public static AlertingOutcome<T> NotFound(string message) => new(AlertingOutcomeKind.NotFound, default, message);
    public static AlertingOutcome<T> Invalid(IDictionary<string, string[]> errors) => new(AlertingOutcomeKind.Invalid, default, "One or more fields are invalid.", errors);
}
