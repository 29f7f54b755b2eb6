namespace Vigil.Core.Projects;

/// <summary>
/// Tells the other instances that API keys changed, so they drop cached lookups (a revoked key stops working
/// everywhere, not only where it was revoked). A single instance has no one to tell: <see cref="SingleInstanceKeyCache"/>.
/// </summary>
public interface IKeyCacheBroadcast
{
    /// <summary>Called after the change is committed. <paramref name="hash"/>: the key's hash, or null for every key.</summary>
    void KeysChanged(string? hash);

    /// <summary>
    /// False while changes made elsewhere may go unheard (the bus is away): the cache then keeps lookups only briefly.
    /// </summary>
    bool Reliable { get; }
}

/// <summary>One instance: the cache it clears itself is the only one.</summary>
public sealed class SingleInstanceKeyCache : IKeyCacheBroadcast
{
    public void KeysChanged(string? hash) { }

    public bool Reliable => true;
}
