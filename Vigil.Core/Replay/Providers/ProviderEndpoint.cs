namespace Vigil.Core.Replay.Providers;

/// <summary>Where and with which key to call a provider. <see cref="ToString"/> never shows the key.</summary>
public sealed record ProviderEndpoint(string? BaseUrl, string? ApiKey)
{
    public override string ToString() => $"ProviderEndpoint {{ BaseUrl = {BaseUrl ?? "(default)"}, ApiKey = {(ApiKey is null ? "none" : "***")} }}";
}
