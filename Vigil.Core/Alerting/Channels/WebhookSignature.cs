using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Vigil.Core.Alerting.Channels;

/// <summary>
/// <c>X-Vigil-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body" keyed with the channel's secret&gt;</c>.
/// A receiver recomputes it over the raw body and rejects old timestamps (replays).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Vigil-Signature";
    public const string SecretPrefix = "whsec_";
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>"whsec_" and 40 random base-62 characters (about 238 bits).</summary>
    public static string NewSecret() => SecretPrefix + RandomNumberGenerator.GetString(Alphabet, 40);

    public static string Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    public static string HeaderValue(string secret, long unixSeconds, ReadOnlySpan<byte> body) =>
        $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Compute(secret, unixSeconds, body)}";

    /// <summary>What a receiver does: parse the header, recompute, compare in constant time.</summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, out long unixSeconds)
    {
        unixSeconds = 0;
        if (string.IsNullOrEmpty(header)) return false;
        string? t = null, v1 = null;
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) continue;
            if (kv[0].Trim() == "t") t = kv[1].Trim();
            else if (kv[0].Trim() == "v1") v1 = kv[1].Trim();
        }
        if (t is null || v1 is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out unixSeconds)) return false;
        var expected = Encoding.ASCII.GetBytes(Compute(secret, unixSeconds, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(v1.ToLowerInvariant()));
    }
}
