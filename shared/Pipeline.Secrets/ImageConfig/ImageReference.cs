namespace Pipeline.Secrets.ImageConfig;

/// <summary>
/// An image reference as a Dockerfile's FROM or the <c>org.opencontainers.image.base.name</c> annotation writes it,
/// normalized the way Docker does: no registry means Docker Hub, a one-part Hub name lives under <c>library/</c>.
/// </summary>
internal sealed record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    private const string DockerHub = "docker.io";

    public static ImageReference Parse(string text)
    {
        var rest = text;
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? string.Empty : rest[..slash];
        var hasRegistry = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost";
        var registry = hasRegistry ? first.ToLowerInvariant() : DockerHub;
        var repository = hasRegistry ? rest[(slash + 1)..] : rest;
        if (registry is "index.docker.io" or "registry-1.docker.io")
        {
            registry = DockerHub;
        }

        if (registry == DockerHub && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }

        return new ImageReference(registry, repository, string.IsNullOrEmpty(tag) ? null : tag, string.IsNullOrEmpty(digest) ? null : digest);
    }

    /// <summary>Whether this reference lies under <paramref name="allowed"/>: a registry host, or a registry plus repository prefix.</summary>
    public bool IsUnder(string allowed)
    {
        var a = allowed.Trim().TrimEnd('/');
        var full = Registry + "/" + Repository;
        return string.Equals(a, Registry, StringComparison.OrdinalIgnoreCase)
            || string.Equals(a, full, StringComparison.OrdinalIgnoreCase)
            || full.StartsWith(a + "/", StringComparison.OrdinalIgnoreCase);
    }
}
