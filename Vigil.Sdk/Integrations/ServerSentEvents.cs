using System.Text.Json;

namespace Vigil.Sdk.Integrations;

/// <summary>
/// Splits a server-sent event stream, fed in arbitrary chunks, into its <c>data:</c> payloads (the <c>[DONE]</c> marker
/// and empty payloads skipped), each parsed as JSON for the caller.
/// </summary>
internal sealed class ServerSentEvents
{
    private readonly MemoryStream _line = new();

    public void Feed(ReadOnlySpan<byte> data, Action<JsonElement> onData)
    {
        foreach (var b in data)
        {
            if (b == (byte)'\n') Flush(onData);
            else _line.WriteByte(b);
        }
    }

    /// <summary>Reads a last line that had no newline.</summary>
    public void Flush(Action<JsonElement> onData)
    {
        if (_line.Length == 0) return;
        var line = _line.GetBuffer().AsSpan(0, (int)_line.Length);
        try
        {
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            if (!line.StartsWith("data:"u8)) return;
            var payload = line[5..].TrimStart((byte)' ');
            if (payload.IsEmpty || payload.SequenceEqual("[DONE]"u8)) return;
            using var doc = JsonDocument.Parse(payload.ToArray());
            onData(doc.RootElement);
        }
        finally
        {
            _line.SetLength(0);
        }
    }
}
