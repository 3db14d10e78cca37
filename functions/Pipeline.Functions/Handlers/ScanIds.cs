using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Functions.Handlers;

/// <summary>
/// Scan ids are derived from the push and the platform manifest, so a redelivered message yields the same
/// scan (same state blobs, same lock) instead of a second one; re-match ids likewise from what they re-match.
/// </summary>
internal static class ScanIds
{
    public static string For(string tenant, string registry, string repository, string manifestDigest, DateTimeOffset receivedAt)
    {
        var text = string.Join('\n', tenant, registry, repository, manifestDigest, receivedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    /// <summary>One id per (stored inventory, database version): every attempt of that re-match shares its webhook-id.</summary>
    public static string ForRematch(string databaseVersion, string inventoryBlob) =>
        "rematch-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(databaseVersion + "\n" + inventoryBlob)))[..24];
}
