using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Replay;

/// <summary>Confirmed run ids waiting for <see cref="ReplayWorker"/>, plus cancel requests for runs already running.</summary>
public sealed class ReplayQueue(IOptions<ReplayOptions> options)
{
    private readonly Channel<string> _channel = Channel.CreateBounded<string>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly ConcurrentDictionary<string, byte> _cancelRequested = new(StringComparer.Ordinal);

    public bool TryEnqueue(string runId) => _channel.Writer.TryWrite(runId);

    public ChannelReader<string> Reader => _channel.Reader;

    public void RequestCancel(string runId) => _cancelRequested[runId] = 0;

    public bool IsCancelRequested(string runId) => _cancelRequested.ContainsKey(runId);

    public void Forget(string runId) => _cancelRequested.TryRemove(runId, out _);
}
