using Pipeline.Core.Images;
using Pipeline.Registry.Manifests;

namespace Pipeline.Registry.Layout;

/// <summary>
/// An OCI image layout (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/ALG/HEX</c>) in a directory or in a tar.
/// The tag picks the <c>index.json</c> entry whose <c>org.opencontainers.image.ref.name</c> equals it.
/// </summary>
internal sealed class LayoutImageSource : IImageSource
{
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    private readonly ILayoutFiles files;
    private readonly string repository;
    private readonly string? tag;
    private readonly RegistryOptions options;

    public LayoutImageSource(ILayoutFiles files, string name, string repository, string? tag, RegistryOptions options)
    {
        this.files = files;
        this.repository = repository;
        this.tag = tag;
        this.options = options;
        Name = name;
    }

    public string Name { get; }

    public async Task<IReadOnlyList<ResolvedImage>> ResolveAsync(Platform? platform = null, CancellationToken cancellationToken = default)
    {
        var indexBytes = await ReadFileAsync("index.json", ManifestDocument.MaxBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new ImageNotFoundException($"{Name} is not an OCI image layout: index.json is missing.");
        var index = ManifestDocument.Parse(indexBytes, MediaTypes.OciIndex, Name);
        var entries = index.Manifests ?? [];
        var location = new ImageLocation(null, repository, tag);
        var resolver = new ManifestResolver(FetchManifestAsync, (d, ct) => ReadBlobAsync(d, ManifestDocument.MaxConfigBytes, "config", ct), options.Notes);

        List<Descriptor> chosen;
        if (tag is not null)
        {
            chosen = entries.Where(e => e.Annotations?.GetValueOrDefault(RefNameAnnotation) == tag).ToList();
            if (chosen.Count == 0)
            {
                throw new ImageNotFoundException($"{Name}: no image tagged '{tag}'; tags: {TagList(entries)}.");
            }
        }
        else
        {
            var tags = entries.Select(e => e.Annotations?.GetValueOrDefault(RefNameAnnotation)).Where(t => t is not null).Distinct().ToList();
            if (tags.Count > 1)
            {
                throw new ImageNotFoundException($"{Name} holds several images; name one as {Name}:TAG; tags: {TagList(entries)}.");
            }

            chosen = entries;
        }

        if (chosen.Count == 1)
        {
            var root = await FetchManifestAsync(chosen[0], cancellationToken).ConfigureAwait(false);
            return await resolver.ResolveAsync(root, location, platform, cancellationToken).ConfigureAwait(false);
        }

        // Several untagged entries (or one tag on several platforms): index.json itself acts as the index.
        var rootIndex = new ManifestBytes(indexBytes, MediaTypes.OciIndex, Digests.Compute(indexBytes));
        return await resolver.ResolveAsync(rootIndex, location, platform, cancellationToken).ConfigureAwait(false);
    }

    public Task<Stream> OpenBlobAsync(string digest, CancellationToken cancellationToken = default)
    {
        Digests.Validate(digest, "blob");
        return Task.FromResult(files.TryOpen(BlobPath(digest)) ?? throw new ImageNotFoundException($"{Name}: blob {digest} is missing."));
    }

    public ValueTask DisposeAsync()
    {
        files.Dispose();
        return ValueTask.CompletedTask;
    }

    internal static string BlobPath(string digest) => $"blobs/{Digests.Algorithm(digest)}/{Digests.Hex(digest)}";

    /// <summary>Reads a whole small file, refusing more than <paramref name="maxBytes"/>.</summary>
    internal static async Task<byte[]> ReadBoundedAsync(Stream stream, int maxBytes, string what, CancellationToken cancellationToken)
    {
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > maxBytes)
                {
                    throw new InvalidImageException($"{what} is larger than {maxBytes} bytes.");
                }

                buffer.Write(chunk, 0, n);
            }

            return buffer.ToArray();
        }
    }

    private async Task<ManifestBytes> FetchManifestAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        var digest = descriptor.Digest ?? throw new InvalidImageException($"{Name}: an index entry has no digest.");
        var bytes = await ReadBlobAsync(Digests.Validate(digest, "manifest"), ManifestDocument.MaxBytes, "manifest", cancellationToken).ConfigureAwait(false);
        return new ManifestBytes(bytes, descriptor.MediaType, digest);
    }

    private async Task<byte[]> ReadBlobAsync(string digest, int maxBytes, string kind, CancellationToken cancellationToken)
    {
        Digests.Validate(digest, kind);
        var bytes = await ReadFileAsync(BlobPath(digest), maxBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new ImageNotFoundException($"{Name}: {kind} blob {digest} is missing.");
        Digests.Verify(bytes, digest, $"{kind} {digest} in {Name}");
        return bytes;
    }

    private async Task<byte[]?> ReadFileAsync(string relativePath, int maxBytes, CancellationToken cancellationToken) =>
        files.TryOpen(relativePath) is { } s ? await ReadBoundedAsync(s, maxBytes, $"{relativePath} in {Name}", cancellationToken).ConfigureAwait(false) : null;

    private static string TagList(List<Descriptor> entries)
    {
        var tags = entries.Select(e => e.Annotations?.GetValueOrDefault(RefNameAnnotation)).OfType<string>().Distinct().ToList();
        return tags.Count == 0 ? "none" : string.Join(", ", tags);
    }
}
