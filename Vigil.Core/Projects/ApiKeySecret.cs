using System.Security.Cryptography;
using System.Text;

namespace Vigil.Core.Projects;

/// <summary>Generates API key secrets and derives what is stored of them (prefix and SHA-256 hash).</summary>
public static class ApiKeySecret
{
    public const string Scheme = "vgl_";
    public const int PrefixLength = 12;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>"vgl_" followed by 40 random base-62 characters (about 238 bits).</summary>
    public static string Generate() => Scheme + RandomNumberGenerator.GetString(Alphabet, 40);

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string Prefix(string secret) => secret.Length <= PrefixLength ? secret : secret[..PrefixLength];
}
