using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Iac.Parsing;

/// <summary>
/// RFC 4122 name-based UUIDs (version 5, SHA-1): Terraform's <c>uuidv5()</c>, and ARM's <c>guid(a, b, c)</c>,
/// which is the UUIDv5 of <c>"a-b-c"</c> under <see cref="ArmNamespace"/>. Both stacks can therefore name the
/// same resource (a role assignment) identically, and a scan computes the name a deployment would use.
/// </summary>
internal static class Uuid5
{
    public const string ArmNamespace = "11fb06fb-712d-4ddd-98c7-e71bbd588830";

    /// <summary>The namespaces Terraform's uuidv5 accepts by name (RFC 4122 appendix C).</summary>
    private static readonly Dictionary<string, string> NamedNamespaces = new(StringComparer.Ordinal)
    {
        ["dns"] = "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        ["url"] = "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
        ["oid"] = "6ba7b812-9dad-11d1-80b4-00c04fd430c8",
        ["x500"] = "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
    };

    /// <param name="namespaceId">A UUID, or one of Terraform's names <c>dns</c>, <c>url</c>, <c>oid</c>, <c>x500</c>.</param>
    /// <exception cref="FormatException">The namespace is neither a UUID nor a known name.</exception>
    public static string Create(string namespaceId, string name)
    {
        var ns = Guid.Parse(NamedNamespaces.GetValueOrDefault(namespaceId, namespaceId)).ToByteArray(bigEndian: true);
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

    /// <summary>ARM's <c>guid()</c> of the given arguments.</summary>
    public static string ArmGuid(IEnumerable<string> parts) => Create(ArmNamespace, string.Join('-', parts));
}
