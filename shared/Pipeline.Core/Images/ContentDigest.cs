namespace Pipeline.Core.Images;

/// <summary>
/// The one validator of OCI content digests (<c>sha256:</c> + 64 lowercase hex, <c>sha512:</c> + 128), shared
/// by the registry client and the layer scanner: anything else is refused before it names a file or a URL.
/// </summary>
public static class ContentDigest
{
    /// <summary>True when <paramref name="digest"/> is a well-formed sha256 or sha512 digest.</summary>
    public static bool IsValid(string? digest)
    {
        if (digest is null)
        {
            return false;
        }

        var hexLength = digest.StartsWith("sha256:", StringComparison.Ordinal) ? 64
            : digest.StartsWith("sha512:", StringComparison.Ordinal) ? 128
            : -1;
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        return hexLength > 0 && digest.Length == colon + 1 + hexLength && !digest.AsSpan(colon + 1).ContainsAnyExcept("0123456789abcdef");
    }

    /// <summary>Throws a <see cref="FormatException"/> naming <paramref name="what"/> unless the digest is well formed.</summary>
    public static string Validate(string digest, string what)
    {
        if (!IsValid(digest))
        {
            throw new FormatException($"Invalid digest for {what}: '{Shorten(digest)}' (expected sha256: + 64 lowercase hex or sha512: + 128).");
        }

        return digest;
    }

    /// <summary>Splits a valid digest into algorithm and hex; throws <see cref="FormatException"/> naming the bad value.</summary>
    public static (string Algorithm, string Hex) Split(string digest, string what = "digest")
    {
        Validate(digest, what);
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        return (digest[..colon], digest[(colon + 1)..]);
    }

    /// <summary>A value short enough to quote in a one-line error.</summary>
    public static string Shorten(string? text) => text is null ? string.Empty : text.Length <= 200 ? text : text[..200] + "…";
}
