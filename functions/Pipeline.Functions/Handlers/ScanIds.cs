using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Functions.Handlers;

/// <summary>
/// Scan ids are derived from the push and the platform manifest, so a redelivered message yields the same
/// scan (same state blobs, same lock) instead of a second one.
/// </summary>
internal static class ScanIds
{
    public static string For(string tenant, string registry, string repository, string manifestDigest, DateTimeOffset receivedAt)
    {
        var text = string.Join('\n', tenant, registry, repository, manifestDigest, receivedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }
}
