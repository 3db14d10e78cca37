using System.Text.RegularExpressions;

namespace Pipeline.Registry;

/// <summary>
/// A registry image reference, <c>host[:port]/repo[:tag][@digest]</c>, normalised the way docker does:
/// no host means Docker Hub (<c>docker.io</c>, served by <c>registry-1.docker.io</c>) and a one-component
/// Hub repository gets <c>library/</c>.
/// </summary>
public sealed partial record ImageReference
{
    /// <summary>The longest reference accepted; distribution itself caps repository names at 255.</summary>
    public const int MaxLength = 1024;

    /// <summary>Docker Hub's canonical name.</summary>
    public const string DockerHub = "docker.io";

    private ImageReference(string registry, string repository, string? tag, string? digest, bool tagGiven)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
        TagGiven = tagGiven;
    }

    /// <summary>Registry as written (host with optional port), <c>docker.io</c> for Docker Hub.</summary>
    public string Registry { get; }

    /// <summary>Repository path, for example <c>library/debian</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag; <c>latest</c> when neither tag nor digest was given.</summary>
    public string? Tag { get; }

    /// <summary>The manifest digest, when the reference pins one.</summary>
    public string? Digest { get; }

    /// <summary>Whether the text named a tag; without tag and digest <see cref="Tag"/> is the implied <c>latest</c>.</summary>
    public bool TagGiven { get; }

    /// <summary>The host the API is called on: <c>registry-1.docker.io</c> for Docker Hub, else <see cref="Registry"/>.</summary>
    public string ApiHost => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    /// <summary>What the manifest is fetched by: the digest when present, else the tag.</summary>
    public string ManifestReference => Digest ?? Tag!;

    /// <summary>True for <c>localhost</c>, <c>127.0.0.0/8</c> and <c>[::1]</c>, where plain HTTP is allowed.</summary>
    public bool IsLoopback => IsLoopbackHost(Registry);

    /// <summary>Parses and validates a reference; throws <see cref="FormatException"/> with the reason.</summary>
    public static ImageReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            throw new FormatException("Image reference is empty.");
        }

        if (text.Length > MaxLength)
        {
            throw new FormatException($"Image reference is longer than {MaxLength} characters.");
        }

        if (text.AsSpan().IndexOfAnyInRange('\0', ' ') >= 0 || text.Contains('\u007f', StringComparison.Ordinal))
        {
            throw new FormatException($"Image reference '{Quote(text)}' contains whitespace or control characters.");
        }

        var rest = text;
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!Digests.IsValid(digest))
            {
                throw new FormatException($"Image reference '{Quote(text)}' has an invalid digest '{Quote(digest)}' (expected sha256: + 64 lowercase hex or sha512: + 128).");
            }
        }

        string registry;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? "" : rest[..slash];
        if (slash >= 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" || first.StartsWith('[')))
        {
            registry = first;
            rest = rest[(slash + 1)..];
            if (!HostPattern().IsMatch(registry))
            {
                throw new FormatException($"Image reference '{Quote(text)}' has an invalid registry host '{Quote(registry)}'.");
            }
        }
        else
        {
            registry = DockerHub;
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                throw new FormatException($"Image reference '{Quote(text)}' has an invalid tag '{Quote(tag)}' (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-').");
            }
        }

        if (registry is DockerHub or "index.docker.io" or "registry-1.docker.io")
        {
            registry = DockerHub;
            if (!rest.Contains('/', StringComparison.Ordinal))
            {
                rest = "library/" + rest;
            }
        }

        if (rest.Length == 0 || rest.Length > 255 || !RepositoryPattern().IsMatch(rest))
        {
            throw new FormatException($"Image reference '{Quote(text)}' has an invalid repository '{Quote(rest)}' (lowercase letters, digits and separators '.', '_', '__', '-' between '/'-separated components).");
        }

        var tagGiven = tag is not null;
        if (tag is null && digest is null)
        {
            tag = "latest";
        }

        return new ImageReference(registry, rest, tag, digest, tagGiven);
    }

    /// <summary>Like <see cref="Parse"/> but returns false instead of throwing.</summary>
    public static bool TryParse(string text, out ImageReference? reference)
    {
        try
        {
            reference = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            reference = null;
            return false;
        }
    }

    /// <summary>
    /// Whether this reference lies under <paramref name="allowed"/>: a registry host (<c>myacr.azurecr.io</c>), or a
    /// registry plus repository prefix (<c>docker.io/library</c>), compared case-insensitively at path boundaries.
    /// </summary>
    public bool IsUnder(string allowed)
    {
        var a = allowed.Trim().TrimEnd('/');
        var full = Registry + "/" + Repository;
        return string.Equals(a, Registry, StringComparison.OrdinalIgnoreCase)
            || string.Equals(a, full, StringComparison.OrdinalIgnoreCase)
            || full.StartsWith(a + "/", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The canonical form, <c>registry/repository[:tag][@digest]</c>.</summary>
    public override string ToString() =>
        $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";

    internal static bool IsLoopbackHost(string hostWithPort)
    {
        var host = HostWithoutPort(hostWithPort);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip);
    }

    internal static string HostWithoutPort(string hostWithPort)
    {
        if (hostWithPort.StartsWith('['))
        {
            var end = hostWithPort.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? hostWithPort[..(end + 1)] : hostWithPort;
        }

        var colon = hostWithPort.LastIndexOf(':');
        return colon > 0 ? hostWithPort[..colon] : hostWithPort;
    }

    private static string Quote(string text) => Digests.Shorten(text);

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();
}
