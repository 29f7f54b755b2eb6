using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Vigil.Core.Projects;

namespace Vigil.Web.Accounts;

/// <summary>
/// The organisation-level automation key from <c>Vigil:Init:AdminApiKey</c>. Configuration is its only home: only its hash
/// is kept in memory, and it is compared in constant time.
/// </summary>
public sealed class AdminApiKey(IOptions<InitOptions> init)
{
    private readonly byte[]? _hash = init.Value.AdminApiKey is { Length: > 0 } key ? SHA256.HashData(Encoding.UTF8.GetBytes(key)) : null;

    public bool Matches(string secret) =>
        _hash is not null && CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
