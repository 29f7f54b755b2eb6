using Microsoft.Extensions.Options;

namespace Vigil.Core.Alerting;

/// <summary>
/// Absolute dashboard links for messages. The configured <see cref="AlertingOptions.DashboardUrl"/> wins; otherwise the
/// host tells where it listens (<see cref="UseServerAddress"/>, read when a message is rendered).
/// </summary>
public sealed class DashboardLinks(IOptions<AlertingOptions> options)
{
    private Func<string?>? _serverAddress;

    public void UseServerAddress(Func<string?> address) => _serverAddress = address;

    public string? BaseUrl => (string.IsNullOrWhiteSpace(options.Value.DashboardUrl) ? _serverAddress?.Invoke() : options.Value.DashboardUrl)?.TrimEnd('/');

    /// <summary>e.g. <c>https://vigil.example.com/alerts?project=p1</c>; a relative path when no address is known.</summary>
    public string Link(string path, string projectId) =>
        $"{BaseUrl}{path}{(path.Contains('?') ? '&' : '?')}project={Uri.EscapeDataString(projectId)}";
}
