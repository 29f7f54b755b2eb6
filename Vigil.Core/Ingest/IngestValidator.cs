using Vigil.Core.Scores;
using Vigil.Core.Sessions;
using Vigil.Core.Traces;

namespace Vigil.Core.Ingest;

/// <summary>Field rules of DESIGN.md for one span. Collects every problem rather than stopping at the first.</summary>
public static class IngestValidator
{
    public const int MaxIdLength = 128;
    public const int MaxNameLength = 512;
    public const int MaxModelLength = 128;
    public const int MaxProviderLength = 64;

    // Bounds far past any real call that keep every sum of a trace or a metric rollup inside a 64-bit integer
    // (PostgreSQL raises on overflow; C# would wrap silently).
    public const long MaxTokens = 1_000_000_000;
    public const double MaxCostUsd = 1_000_000;
    public static readonly TimeSpan MaxSpanDuration = TimeSpan.FromDays(366);

    public static void Validate(SpanInput s, int i, List<IngestError> errors)
    {
        if (string.IsNullOrEmpty(s.SpanId)) errors.Add(new(i, "span_id", "is required (1-128 characters)"));
        else if (s.SpanId.Length > MaxIdLength) errors.Add(new(i, "span_id", $"is {s.SpanId.Length} characters; the limit is {MaxIdLength}"));
        if (s.TraceId is { Length: > MaxIdLength }) errors.Add(new(i, "trace_id", $"is {s.TraceId.Length} characters; the limit is {MaxIdLength}"));
        if (s.ParentSpanId is { Length: > MaxIdLength }) errors.Add(new(i, "parent_span_id", $"is {s.ParentSpanId.Length} characters; the limit is {MaxIdLength}"));
        // Ids are looked up as sent: PostgreSQL cannot store U+0000 (it would keep another id), so no provider takes it.
        foreach (var (field, id) in new[] { ("span_id", s.SpanId), ("trace_id", s.TraceId), ("parent_span_id", s.ParentSpanId) })
            if (id is not null && id.Contains('\0')) errors.Add(new(i, field, "must not contain the character U+0000"));
        if (s.ParentSpanId is not null && s.ParentSpanId == s.SpanId) errors.Add(new(i, "parent_span_id", "must differ from span_id"));
        if (s.Name is { Length: > MaxNameLength }) errors.Add(new(i, "name", $"is {s.Name.Length} characters; the limit is {MaxNameLength}"));
        if (s.Kind is not null && !SpanKind.IsValid(s.Kind)) errors.Add(new(i, "kind", $"'{Clip(s.Kind)}' is not one of {string.Join(", ", SpanKind.All)}"));
        if (s.Status is not null && !SpanStatus.IsValid(s.Status)) errors.Add(new(i, "status", $"'{Clip(s.Status)}' is not one of {string.Join(", ", SpanStatus.All)}"));
        if (s.StartTime is { } st && s.EndTime is { } et)
        {
            if (et < st) errors.Add(new(i, "end_time", "is before start_time"));
            else if (et - st > MaxSpanDuration) errors.Add(new(i, "end_time", $"is more than {MaxSpanDuration.TotalDays:N0} days after start_time"));
        }
        if (s.Model is { Length: > MaxModelLength }) errors.Add(new(i, "model", $"is {s.Model.Length} characters; the limit is {MaxModelLength}"));
        if (s.Provider is { Length: > MaxProviderLength }) errors.Add(new(i, "provider", $"is {s.Provider.Length} characters; the limit is {MaxProviderLength}"));
        CheckTokens(s.InputTokens, "usage.input_tokens", i, errors);
        CheckTokens(s.OutputTokens, "usage.output_tokens", i, errors);
        foreach (var (field, json) in new[] { ("input", s.Input), ("output", s.Output), ("metadata", s.Metadata), ("events", s.Events) })
        {
            if (json is null) continue;
            if (!UnicodeText.IsValidJson(json)) errors.Add(new(i, field, "holds a string that is not valid Unicode (a lone surrogate)"));
            if (!JsonNumbers.FitEveryStore(json))
                errors.Add(new(i, field, $"holds a number with over {JsonNumbers.MaxDigits:N0} digits or an exponent over {JsonNumbers.MaxExponent:N0}"));
        }
        if (s.CostUsd is { } c && (c < 0 || double.IsNaN(c) || double.IsInfinity(c))) errors.Add(new(i, "cost_usd", "must be a non-negative number"));
        else if (s.CostUsd > MaxCostUsd) errors.Add(new(i, "cost_usd", $"is {s.CostUsd:G6}; the limit is {MaxCostUsd:N0}"));
        if (SessionLimits.Problem(s.SessionId) is { } sessionProblem) errors.Add(new(i, "session_id", sessionProblem));
        if (SessionLimits.Problem(s.UserId) is { } userProblem) errors.Add(new(i, "user_id", userProblem));
        if (s.Scores is { } scores)
            for (var j = 0; j < scores.Count; j++)
            {
                var field = $"scores[{j}]";
                // The trace id is resolved later (a span may join the batch's first trace): any valid one will do here.
                ScoreValidator.Create("", scores[j] with { TraceId = "t", SpanId = s.SpanId ?? "s" }, 0, (f, m) => errors.Add(new(i, $"{field}.{f}", m)), ScoreSource.Sdk);
            }
    }

    private static void CheckTokens(long? tokens, string field, int i, List<IngestError> errors)
    {
        if (tokens < 0) errors.Add(new(i, field, "must not be negative"));
        else if (tokens > MaxTokens) errors.Add(new(i, field, $"is {tokens:N0}; the limit is {MaxTokens:N0}"));
    }

    /// <summary>The batch-level fields: trace_metadata, and session_id and user_id of the first trace.</summary>
    public static void ValidateBatch(IngestBatch batch, List<IngestError> errors)
    {
        if (batch.TraceMetadata is { } metadata)
        {
            if (!UnicodeText.IsValidJson(metadata))
                errors.Add(new(null, "trace_metadata", "holds a string that is not valid Unicode (a lone surrogate)"));
            if (!JsonNumbers.FitEveryStore(metadata))
                errors.Add(new(null, "trace_metadata", $"holds a number with over {JsonNumbers.MaxDigits:N0} digits or an exponent over {JsonNumbers.MaxExponent:N0}"));
        }
        if (SessionLimits.Problem(batch.SessionId) is { } sessionProblem) errors.Add(new(null, "session_id", sessionProblem));
        if (SessionLimits.Problem(batch.UserId) is { } userProblem) errors.Add(new(null, "user_id", userProblem));
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
