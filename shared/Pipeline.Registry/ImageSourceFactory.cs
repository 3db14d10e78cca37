using Pipeline.Core.Images;
using Pipeline.Registry.Distribution;
using Pipeline.Registry.Layout;

namespace Pipeline.Registry;

/// <summary>Makes the <see cref="IImageSource"/> a command-line or event reference names.</summary>
public static class ImageSourceFactory
{
    /// <summary>
    /// Creates a source for <paramref name="reference"/>:
    /// <c>oci:DIR[:TAG]</c> (OCI image layout), <c>oci-archive:FILE</c> (a tar of one),
    /// <c>docker-archive:FILE</c> (<c>docker save</c> output), <c>docker://REF</c> or a bare registry reference
    /// <c>host[:port]/repo[:tag|@digest]</c>. Local files are opened now; registries are not contacted until
    /// <see cref="IImageSource.ResolveAsync"/>, except that a host outside
    /// <see cref="RegistryOptions.AllowedRegistries"/> fails here.
    /// </summary>
    /// <exception cref="FormatException">The reference is malformed.</exception>
    /// <exception cref="RegistryException">A local layout or archive is missing or unreadable; the registry is not allowed.</exception>
    public static IImageSource Create(string reference, RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        if (reference.StartsWith("oci:", StringComparison.Ordinal))
        {
            var (dir, tag) = SplitLayoutTag(reference["oci:".Length..]);
            if (!File.Exists(Path.Combine(dir, "index.json")))
            {
                throw new ImageNotFoundException($"oci:{dir} is not an OCI image layout (no index.json).");
            }

            return new LayoutImageSource(new DirectoryLayoutFiles(dir), "oci:" + dir + (tag is null ? "" : ":" + tag), dir, tag, options);
        }

        if (reference.StartsWith("oci-archive:", StringComparison.Ordinal))
        {
            var (file, tag) = SplitArchiveTag(reference["oci-archive:".Length..]);
            return new LayoutImageSource(TarLayoutFiles.Open(file), "oci-archive:" + file, file, tag, options);
        }

        if (reference.StartsWith("docker-archive:", StringComparison.Ordinal))
        {
            return new DockerArchiveSource(reference["docker-archive:".Length..], options);
        }

        var text = reference.StartsWith("docker://", StringComparison.Ordinal) ? reference["docker://".Length..] : reference;
        return new RegistryImageSource(ImageReference.Parse(text), options);
    }

    // "DIR:TAG" when DIR is a directory; paths may themselves contain ':'.
    private static (string Path, string? Tag) SplitLayoutTag(string text)
    {
        if (text.Length == 0)
        {
            throw new FormatException("oci: needs a directory, as oci:DIR[:TAG].");
        }

        var colon = text.LastIndexOf(':');
        if (colon > 0 && !text[(colon + 1)..].Contains('/', StringComparison.Ordinal) && Directory.Exists(text[..colon]) && !Directory.Exists(text))
        {
            return (text[..colon], text[(colon + 1)..]);
        }

        return (text, null);
    }

    private static (string Path, string? Tag) SplitArchiveTag(string text)
    {
        if (text.Length == 0)
        {
            throw new FormatException("oci-archive: needs a file, as oci-archive:FILE[:TAG].");
        }

        var colon = text.LastIndexOf(':');
        if (colon > 0 && !File.Exists(text) && File.Exists(text[..colon]))
        {
            return (text[..colon], text[(colon + 1)..]);
        }

        return (text, null);
    }
}
