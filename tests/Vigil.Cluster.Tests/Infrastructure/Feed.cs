using Vigil.Core.Live;

namespace Vigil.Tests.Cluster;

public static class Feed
{
    /// <summary>Reads a dashboard subscription until <paramref name="done"/> says the collected events suffice.</summary>
    public static async Task<List<LiveEvent>> CollectAsync(this LiveSubscription subscription, Func<List<LiveEvent>, bool> done, TimeSpan within, string what)
    {
        var events = new List<LiveEvent>();
        using var cts = new CancellationTokenSource(within);
        try
        {
            while (!done(events)) events.Add(await subscription.Reader.ReadAsync(cts.Token));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Not within {within.TotalSeconds:0.#} s: {what} ({events.Count} events seen)");
        }
        return events;
    }

    /// <summary>Whatever else arrives within <paramref name="wait"/>.</summary>
    public static async Task<List<LiveEvent>> DrainAsync(this LiveSubscription subscription, TimeSpan wait)
    {
        await Task.Delay(wait);
        var events = new List<LiveEvent>();
        while (subscription.Reader.TryRead(out var e)) events.Add(e);
        return events;
    }
}
