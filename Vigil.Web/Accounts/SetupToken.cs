using System.Security.Cryptography;
using System.Text;

namespace Vigil.Web.Accounts;

/// <summary>
/// The one-time link that lets the first person create the admin account when no user exists. Kept in memory only: a
/// restart without users issues a new one, and using it (or any user existing) ends it for good.
/// </summary>
public sealed class SetupToken
{
    private string? _token;

    /// <summary>The live token, for the start-up banner only.</summary>
    public string? Current => Volatile.Read(ref _token);

    public string Issue() => _token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public bool IsValid(string? candidate) => Current is { } t && candidate is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(t), Encoding.UTF8.GetBytes(candidate));

    /// <summary>Consumes the token atomically: exactly one caller ever gets true.</summary>
    public bool TryConsume(string? candidate)
    {
        var current = Current;
        return current is not null && IsValid(candidate) && Interlocked.CompareExchange(ref _token, null, current) == current;
    }

    public void Revoke() => Volatile.Write(ref _token, null);
}
