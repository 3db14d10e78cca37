using System.Security.Cryptography;
using Pipeline.Core.Images;

namespace Pipeline.Registry;

/// <summary>OCI content digests (<c>sha256:</c> + 64 lowercase hex, <c>sha512:</c> + 128).</summary>
public static class Digests
{
    /// <summary>True when <paramref name="digest"/> is a well-formed sha256 or sha512 digest.</summary>
    public static bool IsValid(string? digest) => ContentDigest.IsValid(digest);

    /// <summary>Throws a <see cref="FormatException"/> naming <paramref name="what"/> unless the digest is well formed.</summary>
    public static string Validate(string digest, string what) => ContentDigest.Validate(digest, what);

    /// <summary>The digest of <paramref name="content"/> with the algorithm of <paramref name="like"/> (sha256 by default).</summary>
    public static string Compute(ReadOnlySpan<byte> content, string? like = null) =>
        like is not null && like.StartsWith("sha512:", StringComparison.Ordinal)
            ? "sha512:" + Convert.ToHexStringLower(SHA512.HashData(content))
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Throws <see cref="DigestMismatchException"/> unless <paramref name="content"/> hashes to <paramref name="expected"/>.</summary>
    public static void Verify(ReadOnlySpan<byte> content, string expected, string what)
    {
        var actual = Compute(content, expected);
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
        {
            throw new DigestMismatchException(expected, actual, what);
        }
    }

    /// <summary>The hex part of a digest, used as a file name in OCI layouts.</summary>
    internal static string Hex(string digest) => digest[(digest.IndexOf(':', StringComparison.Ordinal) + 1)..];

    internal static string Algorithm(string digest) => digest[..digest.IndexOf(':', StringComparison.Ordinal)];

    internal static string Shorten(string? text) => ContentDigest.Shorten(text);
}
