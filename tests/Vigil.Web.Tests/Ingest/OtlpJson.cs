using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Vigil.Web.Tests.Ingest;

/// <summary>
/// OTLP/JSON as the spec writes it, from a protobuf message: proto3 JSON with enums as integers, and trace and span ids
/// as hex (the one place OTLP/JSON departs from the generic mapping, which writes bytes as base64).
/// </summary>
internal static class OtlpJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatEnumsAsIntegers(true));

    public static string From(IMessage message)
    {
        var json = JsonNode.Parse(Formatter.Format(message))!;
        HexIds(json);
        return json.ToJsonString();
    }

    private static void HexIds(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (key is "traceId" or "spanId" or "parentSpanId" && value is JsonValue v)
                        o[key] = Convert.ToHexStringLower(Convert.FromBase64String(v.GetValue<string>()));
                    else if (value is not null) HexIds(value);
                }
                break;
            case JsonArray a:
                foreach (var item in a) if (item is not null) HexIds(item);
                break;
        }
    }
}
