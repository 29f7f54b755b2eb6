namespace Vigil.Core.Storage;

/// <summary>What start-up initialization did, for the host's banner. The secret is held only until it is printed.</summary>
public sealed class FirstRun
{
    public string? ProjectId { get; set; }
    public string? NewApiKey { get; set; }
}
