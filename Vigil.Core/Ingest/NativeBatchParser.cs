using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Vigil.Core.Ingest;

/// <summary>
/// Parses the native Vigil JSON batch (<c>{"spans": [...], "project_id", "trace_name", "trace_metadata", "external_id"}</c>).
/// Type errors are collected per span and field rather than thrown, so one response can list every bad span.
/// Unknown fields are ignored.
/// </summary>
public static class NativeBatchParser
{
    public static IngestBatch Parse(ReadOnlyMemory<byte> body, IngestOptions limits)
    {
        using var doc = IngestJson.Parse(body, limits);
        return IngestJson.Read(() => Parse(doc.RootElement, limits));
    }

    private static IngestBatch Parse(JsonElement root, IngestOptions limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new IngestFormatException("The body must be a JSON object with a \"spans\" array.");
        if (!root.TryGetProperty("spans", out var spans) || spans.ValueKind != JsonValueKind.Array)
            throw new IngestFormatException("The body must have a \"spans\" array.");
        var count = spans.GetArrayLength();
        if (count > limits.MaxSpansPerBatch)
            throw new IngestFormatException($"The batch has {count} spans; the limit is {limits.MaxSpansPerBatch} per batch.", "Vigil:Ingest:MaxSpansPerBatch");

        var batch = new IngestBatch();
        batch.ProjectId = OptionalString(root, "project_id", null, "project_id", batch.Errors);
        batch.TraceName = OptionalString(root, "trace_name", null, "trace_name", batch.Errors);
        batch.ExternalId = OptionalString(root, "external_id", null, "external_id", batch.Errors);
        batch.TraceMetadata = OptionalObject(root, "trace_metadata", null, limits, batch.Errors, out _);
        batch.SessionId = OptionalString(root, "session_id", null, "session_id", batch.Errors);
        batch.UserId = OptionalString(root, "user_id", null, "user_id", batch.Errors);

        var index = 0;
        foreach (var el in spans.EnumerateArray())
        {
            batch.Spans.Add(ParseSpan(el, index, limits, batch.Errors));
            index++;
        }
        return batch;
    }

    private static SpanInput ParseSpan(JsonElement el, int i, IngestOptions limits, List<IngestError> errors)
    {
        var span = new SpanInput();
        if (el.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new IngestError(i, "span", "must be a JSON object"));
            return span;
        }

        span.SpanId = OptionalString(el, "span_id", i, "span_id", errors);
        span.TraceId = OptionalString(el, "trace_id", i, "trace_id", errors);
        span.ParentSpanId = OptionalString(el, "parent_span_id", i, "parent_span_id", errors);
        span.Name = OptionalString(el, "name", i, "name", errors);
        span.Kind = OptionalString(el, "kind", i, "kind", errors);
        span.Status = OptionalString(el, "status", i, "status", errors);
        span.Input = OptionalObject(el, "input", i, limits, errors, out var input);
        span.Output = OptionalObject(el, "output", i, limits, errors, out var output);
        span.Metadata = OptionalObject(el, "metadata", i, limits, errors, out _);
        span.Events = OptionalEvents(el, i, errors);
        span.StartTime = OptionalTime(el, "start_time", i, errors);
        span.EndTime = OptionalTime(el, "end_time", i, errors);
        span.Model = OptionalString(el, "model", i, "model", errors);
        span.Provider = OptionalString(el, "provider", i, "provider", errors);
        span.SessionId = OptionalString(el, "session_id", i, "session_id", errors);
        span.UserId = OptionalString(el, "user_id", i, "user_id", errors);
        span.Scores = OptionalScores(el, i, errors);

        if (el.TryGetProperty("usage", out var usage))
        {
            if (usage.ValueKind == JsonValueKind.Object)
            {
                span.InputTokens = LlmFieldExtractor.ReadLong(usage, "input_tokens") ?? LlmFieldExtractor.ReadLong(usage, "prompt_tokens");
                span.OutputTokens = LlmFieldExtractor.ReadLong(usage, "output_tokens") ?? LlmFieldExtractor.ReadLong(usage, "completion_tokens");
            }
            else if (usage.ValueKind != JsonValueKind.Null)
                errors.Add(new IngestError(i, "usage", "must be an object {input_tokens, output_tokens} or null"));
        }

        if (el.TryGetProperty("cost_usd", out var cost))
        {
            // TryGetDouble is false for a number beyond double's range (1e400): not a cost anyone spent.
            if (cost.ValueKind == JsonValueKind.Number && cost.TryGetDouble(out var usd)) span.CostUsd = usd;
            else if (cost.ValueKind != JsonValueKind.Null) errors.Add(new IngestError(i, "cost_usd", "must be a finite number or null"));
        }

        LlmFieldExtractor.Extract(span, input, output);
        return span;
    }

    private static string? OptionalString(JsonElement obj, string name, int? i, string field, List<IngestError> errors)
    {
        if (!obj.TryGetProperty(name, out var v)) return null;
        switch (v.ValueKind)
        {
            case JsonValueKind.String: return v.GetString();
            case JsonValueKind.Null: return null;
            default:
                errors.Add(new IngestError(i, field, "must be a string or null"));
                return null;
        }
    }

    private static string? OptionalObject(JsonElement obj, string name, int? i, IngestOptions limits, List<IngestError> errors, out JsonElement? element)
    {
        element = null;
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new IngestError(i, name, "must be a JSON object or null"));
            return null;
        }
        var size = JsonMarshal.GetRawUtf8Value(v).Length;
        if (size > limits.MaxFieldBytes)
        {
            errors.Add(new IngestError(i, name, $"is {size} bytes; the limit is {limits.MaxFieldBytes} bytes (Vigil:Ingest:MaxFieldBytes)"));
            return null;
        }
        element = v;
        return v.GetRawText();
    }

    private static string? OptionalEvents(JsonElement obj, int i, List<IngestError> errors)
    {
        if (!obj.TryGetProperty("events", out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new IngestError(i, "events", "must be an array of {name, timestamp, attributes} or null"));
            return null;
        }
        var j = 0;
        foreach (var ev in v.EnumerateArray())
        {
            if (ev.ValueKind != JsonValueKind.Object || !ev.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String)
                errors.Add(new IngestError(i, $"events[{j}]", "must be an object with a string \"name\""));
            else if (ev.TryGetProperty("timestamp", out var ts) && ts.ValueKind != JsonValueKind.Null
                     && (ts.ValueKind != JsonValueKind.String || !TryParseTime(ts.GetString(), out _)))
                errors.Add(new IngestError(i, $"events[{j}].timestamp", "must be an ISO 8601 timestamp"));
            j++;
        }
        return v.GetRawText();
    }

    /// <summary><c>scores: [{name, value, comment?, source?}]</c>: judgements of this span (the .NET SDK's <c>span.Score</c>).</summary>
    private static List<Scores.ScoreInput>? OptionalScores(JsonElement obj, int i, List<IngestError> errors)
    {
        if (!obj.TryGetProperty("scores", out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new IngestError(i, "scores", "must be an array of {name, value, comment} or null"));
            return null;
        }
        var scores = new List<Scores.ScoreInput>(v.GetArrayLength());
        var j = 0;
        foreach (var el in v.EnumerateArray())
        {
            var field = $"scores[{j++}]";
            if (el.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new IngestError(i, field, "must be an object {name, value, comment}"));
                continue;
            }
            scores.Add(new Scores.ScoreInput
            {
                Name = OptionalString(el, "name", i, field + ".name", errors),
                Value = ScoreValue(el, out var bad),
                Comment = OptionalString(el, "comment", i, field + ".comment", errors),
                Source = OptionalString(el, "source", i, field + ".source", errors),
            });
            if (bad) errors.Add(new IngestError(i, field + ".value", "must be a number, true/false or a category string"));
        }
        return scores;
    }

    /// <summary>A score's <c>value</c> as double, bool or string; <paramref name="bad"/> for any other JSON type.</summary>
    public static object? ScoreValue(JsonElement obj, out bool bad)
    {
        bad = false;
        if (!obj.TryGetProperty("value", out var v)) return null;
        switch (v.ValueKind)
        {
            case JsonValueKind.Number: return v.GetDouble();
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.String: return v.GetString();
            case JsonValueKind.Null: return null;
            default: bad = true; return null;
        }
    }

    private static DateTimeOffset? OptionalTime(JsonElement obj, string name, int i, List<IngestError> errors)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.String && TryParseTime(v.GetString(), out var t)) return t;
        errors.Add(new IngestError(i, name, "must be an ISO 8601 timestamp (UTC when it has no offset) or null"));
        return null;
    }

    public static bool TryParseTime(string? s, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
}
