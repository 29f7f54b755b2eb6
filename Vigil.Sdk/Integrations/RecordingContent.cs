using System.Net;

namespace Vigil.Sdk.Integrations;

/// <summary>Response content that lets the caller read a streamed answer unchanged while <see cref="LlmCall"/> records it.</summary>
internal sealed class RecordingContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly LlmCall _call;

    public RecordingContent(HttpContent inner, LlmCall call)
    {
        _inner = inner;
        _call = call;
        foreach (var header in inner.Headers) Headers.TryAddWithoutValidation(header.Key, header.Value);
    }

    protected override async Task<Stream> CreateContentReadStreamAsync() => new RecordingStream(await _inner.ReadAsStreamAsync().ConfigureAwait(false), _call);
    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => new RecordingStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _call);
    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => new RecordingStream(_inner.ReadAsStream(cancellationToken), _call);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await using var source = new RecordingStream(await _inner.ReadAsStreamAsync().ConfigureAwait(false), _call);
        await source.CopyToAsync(stream).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _call.StreamEnded(complete: false);
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private sealed class RecordingStream(Stream inner, LlmCall call) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            Observe(buffer[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Observe(buffer.Span[..n]);
            return n;
        }

        private void Observe(ReadOnlySpan<byte> data)
        {
            if (data.IsEmpty) call.StreamEnded(complete: true);
            else call.Feed(data);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                call.StreamEnded(complete: false);
                inner.Dispose();
            }
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
