using System.Text.RegularExpressions;

namespace Pipeline.Analysis.Streams;

/// <summary>OCI content digests (<c>sha256:</c> + 64 hex, <c>sha512:</c> + 128 hex). Anything else is refused.</summary>
public static partial class Digest
{
    public static bool IsValid(string? digest) => digest is not null && DigestPattern().IsMatch(digest);

    /// <summary>Splits a digest into algorithm and hex; throws <see cref="FormatException"/> naming the bad value.</summary>
    public static (string Algorithm, string Hex) Split(string digest)
    {
        if (!IsValid(digest))
        {
            throw new FormatException($"'{Truncate(digest)}' is not a valid digest (expected sha256:<64 hex> or sha512:<128 hex>).");
        }

        var i = digest.IndexOf(':', StringComparison.Ordinal);
        return (digest[..i], digest[(i + 1)..]);
    }

    private static string Truncate(string? s) => s is null ? "(null)" : s.Length > 80 ? s[..80] + "…" : s;

    [GeneratedRegex("^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();
}
