using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Infra.Tests;

/// <summary>
/// RFC 4122 name-based UUIDs (version 5, SHA-1). ARM's <c>guid(a, b, c)</c> is the UUIDv5 of
/// <c>"a-b-c"</c> under the namespace <see cref="ArmNamespace"/>, which is what lets the Terraform stack name
/// its role assignments exactly like the Bicep one with <c>uuidv5()</c>.
/// </summary>
internal static class Uuid5
{
    public const string ArmNamespace = "11fb06fb-712d-4ddd-98c7-e71bbd588830";

    public static string Create(string namespaceId, string name)
    {
        var ns = Guid.Parse(namespaceId).ToByteArray(bigEndian: true);
        var input = new byte[ns.Length + Encoding.UTF8.GetByteCount(name)];
        ns.CopyTo(input, 0);
        Encoding.UTF8.GetBytes(name, 0, name.Length, input, ns.Length);
#pragma warning disable CA5350 // SHA-1 is what RFC 4122 version 5 is defined with; nothing here is a security use.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

    public static string ArmGuid(IEnumerable<string> parts) => Create(ArmNamespace, string.Join('-', parts));
}
