using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace Vigil.Web.Api;

/// <summary>
/// Checks the JSON body of every API call other than ingest before an endpoint binds it: at most <see cref="MaxBytes"/>
/// (413), valid UTF-8, well-formed JSON no deeper than <see cref="MaxDepth"/>, and every string valid Unicode once
/// unescaped (<c>"\ud800"</c> is well-formed JSON but no text). System.Text.Json checks a string only when it is read,
/// so without this an endpoint reading a property name or value would throw mid-request and answer 500. Ingest
/// (<c>POST /v1/traces</c>, <c>/v1/logs</c>) reads its own bodies under its own limits.
/// </summary>
public static class JsonBodyGuard
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxDepth = 64;

    public static IApplicationBuilder UseJsonBodyGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!Applies(http.Request))
        {
            await next(http);
            return;
        }
        var body = await ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            await ApiProblems.Status(413, "Payload too large", $"The body exceeds {MaxBytes} bytes.").ExecuteAsync(http);
            return;
        }
        if (Problem(body) is { } problem)
        {
            await ApiProblems.BadRequest(problem).ExecuteAsync(http);
            return;
        }
        http.Request.Body = new MemoryStream(body, writable: false);
        http.Request.ContentLength = body.Length;
        await next(http);
    });

    private static bool Applies(HttpRequest r) =>
        (HttpMethods.IsPost(r.Method) || HttpMethods.IsPut(r.Method) || HttpMethods.IsPatch(r.Method))
        && r.Path.StartsWithSegments("/v1") && !r.Path.Equals("/v1/traces", StringComparison.OrdinalIgnoreCase)
        && !r.Path.Equals("/v1/logs", StringComparison.OrdinalIgnoreCase)
        && r.ContentType is { } type && type.Split(';')[0].Trim().EndsWith("json", StringComparison.OrdinalIgnoreCase);

    private static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > MaxBytes) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    /// <summary>What is wrong with the body, or null when an endpoint may read it.</summary>
    internal static string? Problem(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null; // the endpoint decides whether it needs a body
        if (!Utf8.IsValid(body)) return "The body is not valid UTF-8.";
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        char[]? scratch = null;
        try
        {
            // Property names per open object: a name twice in one object is ambiguous (JsonObject throws on it when read).
            var objects = new Stack<HashSet<string>>();
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.StartObject) { objects.Push(new HashSet<string>(StringComparer.Ordinal)); continue; }
                if (reader.TokenType == JsonTokenType.EndObject) { objects.Pop(); continue; }
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;
                if (reader.ValueIsEscaped)
                {
                    var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
                    if (scratch is null || scratch.Length < length) scratch = new char[Math.Max(length, 256)];
                    reader.CopyString(scratch); // throws for an escaped lone surrogate
                }
                if (reader.TokenType == JsonTokenType.PropertyName && !objects.Peek().Add(reader.GetString()!))
                    return $"The body names the property '{reader.GetString()}' twice in one object.";
            }
            return null;
        }
        catch (JsonException ex) when (ex.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase))
        {
            return $"JSON nesting depth exceeds the limit of {MaxDepth}.";
        }
        catch (JsonException ex)
        {
            return $"The body is not valid JSON: {ex.Message}";
        }
        catch (InvalidOperationException ex)
        {
            return $"The body holds a string that is not valid Unicode: {ex.Message}";
        }
    }
}
