namespace Pipeline.Policy;

/// <summary>
/// Purl matching for suppressions: type, namespace and name must be equal; a version or qualifier in the
/// pattern must be present and equal in the package's purl; anything the pattern leaves out matches all
/// (<c>pkg:deb/debian/libssl3</c> covers every build of libssl3).
/// </summary>
internal static class PurlPattern
{
    public static bool Matches(string pattern, string? purl)
    {
        if (purl is null || !TryParse(pattern, out var p) || !TryParse(purl, out var a))
        {
            return false;
        }

        return string.Equals(p.Type, a.Type, StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.Path, a.Path, StringComparison.Ordinal)
            && (p.Version is null || string.Equals(Uri.UnescapeDataString(p.Version), Uri.UnescapeDataString(a.Version ?? string.Empty), StringComparison.Ordinal))
            && p.Qualifiers.All(q => a.Qualifiers.TryGetValue(q.Key, out var v) && string.Equals(v, q.Value, StringComparison.Ordinal));
    }

    /// <summary>True for a purl naming a container image (a VEX product that stands for the whole image).</summary>
    public static bool IsImage(string id) => id.StartsWith("pkg:oci/", StringComparison.OrdinalIgnoreCase) || id.StartsWith("pkg:docker/", StringComparison.OrdinalIgnoreCase);

    private static bool TryParse(string purl, out (string Type, string Path, string? Version, Dictionary<string, string> Qualifiers) parsed)
    {
        parsed = default;
        if (!purl.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = purl[4..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            rest = rest[..hash];
        }

        var qualifiers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            foreach (var kv in rest[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = kv.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    qualifiers[kv[..eq]] = Uri.UnescapeDataString(kv[(eq + 1)..]);
                }
            }

            rest = rest[..question];
        }

        string? version = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            version = rest[(at + 1)..];
            rest = rest[..at];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        parsed = (rest[..slash], Uri.UnescapeDataString(rest[(slash + 1)..].Trim('/')), version, qualifiers);
        return true;
    }
}
