using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Functions.Notifications;

/// <summary>
/// Standard Webhooks signatures: <c>webhook-signature: v1,&lt;base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")&gt;</c>
/// with the key being the base64-decoded part of a <c>whsec_</c> secret.
/// </summary>
public static class StandardWebhookSignature
{
    /// <summary>The <c>webhook-signature</c> header value.</summary>
    public static string Sign(ReadOnlySpan<byte> key, string id, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));

    /// <summary>Whether any of the space-separated <c>v1,</c> signatures in <paramref name="header"/> matches (constant time).</summary>
    public static bool Verify(ReadOnlySpan<byte> key, string id, long timestamp, string body, string header)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(key, id, timestamp, body));
        var match = false;
        foreach (var candidate in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            match |= CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate));
        }

        return match;
    }
}
