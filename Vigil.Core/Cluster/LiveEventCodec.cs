using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Live;

namespace Vigil.Core.Cluster;

/// <summary>A live event type that may cross instances: its wire name (<see cref="LiveEvent.Type"/>) and its CLR type.</summary>
public sealed record LiveEventType(string Name, Type ClrType);

public static class LiveEventTypeRegistration
{
    /// <summary>
    /// Lets events of <typeparamref name="T"/> (wire name <paramref name="name"/>) reach the dashboards of other instances.
    /// Every feature that publishes on the live feed registers its events; an unregistered one stays on its instance.
    /// </summary>
    public static IServiceCollection AddLiveEventType<T>(this IServiceCollection services, string name) where T : LiveEvent =>
        services.AddSingleton(new LiveEventType(name, typeof(T)));
}

/// <summary>
/// Live events to and from the bytes of one Redis message: <c>{"o": origin, "e": [{"t": type, "d": event}, ...]}</c>, in
/// publication order. The computed members (<c>Type</c>, <c>Payload</c>, <c>Remote</c>) are not sent; decoded events are
/// <see cref="LiveEvent.Remote"/>.
/// </summary>
public sealed class LiveEventCodec
{
    private readonly Dictionary<string, Type> _byName = new(StringComparer.Ordinal);
    private readonly JsonSerializerOptions _json;

    public LiveEventCodec(IEnumerable<LiveEventType> types)
    {
        foreach (var t in types) _byName[t.Name] = t.ClrType;
        _json = new JsonSerializerOptions
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipComputed } },
        };
    }

    public bool IsKnown(LiveEvent e) => _byName.TryGetValue(e.Type, out var t) && t == e.GetType();

    public byte[] Encode(string origin, IReadOnlyList<LiveEvent> events)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("o", origin);
            w.WriteStartArray("e");
            foreach (var e in events)
            {
                w.WriteStartObject();
                w.WriteString("t", e.Type);
                w.WritePropertyName("d");
                JsonSerializer.Serialize(w, e, e.GetType(), _json);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The origin and the events of a message; events of types this instance does not know are skipped.</summary>
    public (string Origin, List<LiveEvent> Events) Decode(ReadOnlyMemory<byte> message)
    {
        using var doc = JsonDocument.Parse(message);
        var origin = doc.RootElement.GetProperty("o").GetString() ?? "";
        var events = new List<LiveEvent>();
        foreach (var item in doc.RootElement.GetProperty("e").EnumerateArray())
        {
            if (!_byName.TryGetValue(item.GetProperty("t").GetString() ?? "", out var type)) continue;
            if (item.GetProperty("d").Deserialize(type, _json) is LiveEvent e) events.Add(e with { Remote = true });
        }
        return (origin, events);
    }

    private static void SkipComputed(JsonTypeInfo info)
    {
        if (!typeof(LiveEvent).IsAssignableFrom(info.Type)) return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
            if (info.Properties[i].Name is nameof(LiveEvent.Type) or nameof(LiveEvent.Payload) or nameof(LiveEvent.Remote))
                info.Properties.RemoveAt(i);
    }
}
