using Google.Protobuf.Collections;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>
/// The conversation and end user of a span: <c>session.id</c> › <c>gen_ai.conversation.id</c>, and <c>user.id</c> ›
/// <c>enduser.id</c>, on the span or else its resource. The attributes also stay in the span's metadata.
/// </summary>
internal readonly record struct OtlpSessionAttributes(string? SessionId, string? UserId)
{
    public static OtlpSessionAttributes Read(RepeatedField<KeyValue>? attributes)
    {
        if (attributes is null) return default;
        string? session = null, conversation = null, user = null, enduser = null;
        foreach (var kv in attributes)
        {
            switch (kv.Key)
            {
                case "session.id": session = Text(kv.Value); break;
                case "gen_ai.conversation.id": conversation = Text(kv.Value); break;
                case "user.id": user = Text(kv.Value); break;
                case "enduser.id": enduser = Text(kv.Value); break;
            }
        }
        return new OtlpSessionAttributes(session ?? conversation, user ?? enduser);
    }

    /// <summary>The span's values, each falling back to the resource's.</summary>
    public OtlpSessionAttributes Over(OtlpSessionAttributes resource) => new(SessionId ?? resource.SessionId, UserId ?? resource.UserId);

    // An id Vigil cannot store (over 256 characters) stays in the metadata only, rather than failing the span.
    private static string? Text(AnyValue? v) => OtlpValueWriter.AsString(v) is { Length: > 0 and <= Sessions.SessionLimits.MaxIdLength } s ? s : null;
}
