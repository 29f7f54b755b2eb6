using CsCheck;
using static Vigil.Web.Tests.Fuzz.FuzzGen;

namespace Vigil.Web.Tests.Fuzz;

/// <summary>
/// Native Vigil batches (<c>{"spans": [...]}</c>): clean ones (every field valid, so the write path is exercised), dirty
/// ones (wrongly typed, out of range, oversized, hostile text in any field), and both mutated byte by byte.
/// </summary>
internal static class NativeBodies
{
    private sealed class Spec(bool dirty)
    {
        private Gen<(string Key, byte[] Value)?> F(string key, Gen<byte[]> good, Gen<byte[]>? clean = null) =>
            dirty ? Field(key, good) : Gen.Frequency((7, (clean ?? good).Select(v => ((string, byte[])?)(key, v))), (2, Gen.Const(default((string, byte[])?))));

        private Gen<byte[]> T => dirty ? Text : Gen.String[Gen.Char['!', '~'], 1, 24].Select(JsonText.Str);
        private Gen<byte[]> N => dirty ? Number : Gen.Int[0, 100_000].Select(n => JsonText.Utf8(n.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        private Gen<byte[]> SpanId => Gen.Frequency(
            (8, Gen.Int[0, int.MaxValue].Select(n => JsonText.Str($"s{n:x}"))),
            (1, Gen.Int[0, 3].Select(n => JsonText.Str($"s{n}"))), // repeats within a batch
            (dirty ? 1 : 0, Text));

        private Gen<byte[]> TraceId => Gen.Frequency(
            (8, Gen.Int[0, int.MaxValue].Select(n => JsonText.Str($"t{n:x}"))),
            (1, Gen.Const(JsonText.Str(""))),
            (dirty ? 1 : 0, Text));

        private Gen<byte[]> Messages => Gen.Select(OneOfStr("user", "assistant", "system", "tool", ""), T)
            .Select((role, content) => JsonText.Obj([("role", role), ("content", content)])).Array[0, 3].Select(JsonText.Arr);

        private Gen<byte[]> Usage => Object(F("prompt_tokens", N), F("completion_tokens", N), F("input_tokens", N), F("output_tokens", N));

        private Gen<byte[]> Payload => Gen.Frequency(
            (4, Object(F("model", OneOfStr("gpt-4o", "claude-3-5-sonnet", "gpt-4o-2024-08-06", "")), F("messages", Messages),
                F("temperature", N), F("content", T), F("usage", Usage))),
            (2, Gen.Select(JsonText.Key, dirty ? JsonText.AnyValue : T).Array[0, 5].Select(m => JsonText.Obj(m))),
            (dirty ? 1 : 0, Gen.Int[4000, 6000].Select(n => JsonText.Obj([("blob", JsonText.Str(new string('b', n)))]))),
            (dirty ? 1 : 0, JsonText.Deep));

        private Gen<byte[]> Event => Object(
            dirty ? F("name", T) : T.Select(n => ((string, byte[])?)("name", n)), F("timestamp", Timestamp, CleanTime), F("attributes", Payload));

        private static readonly Gen<byte[]> CleanTime =
            Gen.Int[0, 86_400_000].Select(ms => JsonText.Str(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(ms).ToString("O")));

        /// <summary>Clean spans end after they start; dirty ones take any two timestamps.</summary>
        private Gen<byte[]> Times => dirty
            ? Object(F("start_time", Timestamp), F("end_time", Timestamp))
            : Gen.Select(Gen.Int[0, 86_400_000], Gen.Int[0, 60_000], Gen.Bool).Select((start, length, ended) =>
            {
                var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(start);
                return JsonText.Obj(ended
                    ? [("start_time", JsonText.Str(t0.ToString("O"))), ("end_time", JsonText.Str(t0.AddMilliseconds(length).ToString("O")))]
                    : [("start_time", JsonText.Str(t0.ToString("O")))]);
            });

        private Gen<byte[]> Span => Gen.Select(Object(
                dirty ? F("span_id", SpanId) : SpanId.Select(id => ((string, byte[])?)("span_id", id)),
                F("trace_id", TraceId),
                F("parent_span_id", Gen.Frequency((3, Gen.Const("null"u8.ToArray())), (2, dirty ? SpanId : Gen.Int[0, 3].Select(n => JsonText.Str($"p{n}"))))),
                F("name", T),
                F("kind", OneOfStr("llm", "tool", "chain", "retriever", "agent", "custom", "LLM", "bogus"), OneOfStr("llm", "tool", "chain", "retriever", "agent", "custom")),
                F("status", OneOfStr("ok", "error", "unset", "fail"), OneOfStr("ok", "error", "unset")),
                F("input", Payload),
                F("output", Payload),
                F("metadata", Payload),
                F("events", Event.Array[0, 3].Select(JsonText.Arr)),
                F("model", T),
                F("provider", T),
                F("usage", Usage),
                F("cost_usd", N)), Times)
            .Select(Splice); // the times object's members join the span's

        public Gen<byte[]> Batch(string projectId) => Object(
            // A clean batch always has spans (a batch without any is a 400).
            dirty ? F("spans", Gen.Frequency((12, Span.Array[1, 6]), (1, Span.Array[45, 60]), (1, Span.Array[0])).Select(JsonText.Arr))
                : Span.Array[1, 6].Select(spans => ((string, byte[])?)("spans", JsonText.Arr(spans))),
            F("project_id", Gen.Frequency((4, OneOfStr(projectId)), (dirty ? 1 : 0, OneOfStr("someone-else")))),
            F("trace_name", T),
            F("trace_metadata", Payload),
            F("external_id", T),
            F("unknown_field", dirty ? JsonText.AnyValue : T));
    }

    /// <summary>Adds the members of object <paramref name="extra"/> to object <paramref name="obj"/> (later keys win in System.Text.Json).</summary>
    private static byte[] Splice(byte[] obj, byte[] extra)
    {
        if (extra.Length <= 2) return obj;
        if (obj.Length <= 2) return extra;
        return JsonText.Concat(obj[..^1], ","u8.ToArray(), extra[1..]);
    }

    private static readonly Spec Clean = new(dirty: false);
    private static readonly Spec Dirty = new(dirty: true);

    /// <summary>A batch for <paramref name="projectId"/>: clean or dirty, sometimes naming another project.</summary>
    public static Gen<byte[]> Batch(string projectId) => Gen.OneOf(Clean.Batch(projectId), Dirty.Batch(projectId));

    /// <summary>Half generated, half mutated, and now and then not a batch at all.</summary>
    public static Gen<byte[]> Any(string projectId) => Gen.Frequency(
        (10, Batch(projectId)),
        (10, Mutations.Of(Batch(projectId))),
        (1, JsonText.AnyValue),
        (1, JsonText.Deep),
        (1, Gen.Const(Array.Empty<byte>())),
        (1, Batch(projectId).Select(b => JsonText.Concat([0xEF, 0xBB, 0xBF], b))));
}
