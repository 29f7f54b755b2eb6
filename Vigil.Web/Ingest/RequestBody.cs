using System.Buffers;

namespace Vigil.Web.Ingest;

/// <summary>
/// Reads a request body into a pooled buffer with a hard size limit, enforced by us rather than only by Kestrel so that
/// the same 413 holds behind any server (and in tests). Dispose returns the buffer to the pool.
/// </summary>
public sealed class RequestBody : IDisposable
{
    private byte[]? _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Returns null when the body exceeds <paramref name="limit"/> bytes.</summary>
    public static async Task<RequestBody?> ReadAsync(Stream stream, long? contentLength, long limit, CancellationToken ct)
    {
        if (contentLength > limit) return null;
        var size = (int)Math.Min(contentLength ?? 64 * 1024, limit + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit) { ArrayPool<byte>.Shared.Return(buffer); return null; }
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0) break;
                length += read;
                if (length > limit) { ArrayPool<byte>.Shared.Return(buffer); return null; }
            }
            return new RequestBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer is { } b) ArrayPool<byte>.Shared.Return(b);
        _buffer = null;
    }
}
