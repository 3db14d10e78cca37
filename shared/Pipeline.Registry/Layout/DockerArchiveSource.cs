using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Pipeline.Core.Images;
using Pipeline.Registry.Manifests;

namespace Pipeline.Registry.Layout;

/// <summary>
/// <c>docker save</c> output: <c>manifest.json</c> naming a config file and layer tars. Newer docker versions
/// also write an OCI layout into the same tar; when <c>index.json</c> is present that layout is read instead.
/// The archive has no registry manifest, so the manifest digest reported is that of a Docker schema 2
/// manifest synthesised from the config and layers (stable for the same archive content).
/// </summary>
internal sealed partial class DockerArchiveSource : IImageSource
{
    private readonly TarLayoutFiles files;
    private readonly string path;
    private readonly RegistryOptions options;
    // Concurrent: layer workers may open blobs in parallel, and the first open may fill it by resolving.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> blobPaths = new(StringComparer.Ordinal);
    private IImageSource? ociLayout;

    public DockerArchiveSource(string path, RegistryOptions options)
    {
        this.path = path;
        this.options = options;
        files = TarLayoutFiles.Open(path);
        Name = "docker-archive:" + path;
        if (files.TryOpen("index.json") is { } index && files.TryOpen("oci-layout") is { } layout)
        {
            index.Dispose();
            layout.Dispose();
            ociLayout = new LayoutImageSource(files, Name, path, null, options);
        }
    }

    public string Name { get; }

    public async Task<IReadOnlyList<ResolvedImage>> ResolveAsync(Platform? platform = null, CancellationToken cancellationToken = default)
    {
        if (ociLayout is not null)
        {
            return await ociLayout.ResolveAsync(platform, cancellationToken).ConfigureAwait(false);
        }

        var manifestStream = files.TryOpen("manifest.json") ?? throw new ImageNotFoundException($"{Name} is not a docker save archive: manifest.json is missing.");
        var manifestBytes = await LayoutImageSource.ReadBoundedAsync(manifestStream, ManifestDocument.MaxBytes, $"manifest.json in {Name}", cancellationToken).ConfigureAwait(false);
        List<SaveEntry> entries;
        try
        {
            entries = JsonSerializer.Deserialize(manifestBytes, RegistryJsonContext.Default.ListSaveEntry) ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidImageException($"{Name}: manifest.json is not valid: {e.Message}", e);
        }

        if (entries.Count != 1)
        {
            throw new InvalidImageException(entries.Count == 0
                ? $"{Name}: manifest.json lists no image."
                : $"{Name} holds {entries.Count} images ({string.Join(", ", entries.SelectMany(e => e.RepoTags ?? []))}); save one image per archive.");
        }

        var entry = entries[0];
        var configPath = entry.Config ?? throw new InvalidImageException($"{Name}: manifest.json has no Config.");
        var configBytes = await LayoutImageSource.ReadBoundedAsync(
            files.TryOpen(configPath) ?? throw new ImageNotFoundException($"{Name}: config {configPath} is missing."),
            ManifestDocument.MaxConfigBytes, $"config in {Name}", cancellationToken).ConfigureAwait(false);
        var configDigest = Digests.Compute(configBytes);
        if (DigestInName(configPath) is { } named && named != configDigest)
        {
            throw new DigestMismatchException(named, configDigest, $"config {configPath} in {Name}");
        }

        blobPaths[configDigest] = configPath;
        var diffIds = ImageConfig.Parse(configBytes).RootFs?.DiffIds ?? [];
        var layerPaths = entry.Layers ?? [];
        if (diffIds.Count != layerPaths.Count)
        {
            throw new InvalidImageException($"{Name}: the config lists {diffIds.Count} diff_ids but manifest.json has {layerPaths.Count} layers.");
        }

        var layers = new List<Descriptor>();
        for (var i = 0; i < layerPaths.Count; i++)
        {
            layers.Add(await DescribeLayerAsync(layerPaths[i], diffIds[i], entry.LayerSources, cancellationToken).ConfigureAwait(false));
        }

        // The synthesised schema 2 manifest goes through the same resolver as every other source.
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new ManifestDocument
        {
            SchemaVersion = 2,
            MediaType = MediaTypes.DockerManifest,
            Config = new Descriptor { MediaType = MediaTypes.DockerConfig, Digest = configDigest, Size = configBytes.Length },
            Layers = layers,
        }, RegistryJsonContext.Default.ManifestDocument);
        // RepoTags hold "name:tag"; keep the tag, the archive path stands for the repository.
        var tag = entry.RepoTags is [var first, ..] && first.LastIndexOf(':') is var c && c > first.LastIndexOf('/') ? first[(c + 1)..] : null;
        var location = new ImageLocation(null, path, tag);
        var resolver = new ManifestResolver(
            (d, _) => throw new InvalidImageException($"{Name}: unexpected nested manifest {d.Digest}."),
            (_, _) => Task.FromResult(configBytes),
            options.Notes);
        return await resolver.ResolveAsync(new ManifestBytes(manifest, MediaTypes.DockerManifest, Digests.Compute(manifest)), location, platform, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Stream> OpenBlobAsync(string digest, CancellationToken cancellationToken = default)
    {
        if (ociLayout is not null)
        {
            return await ociLayout.OpenBlobAsync(digest, cancellationToken).ConfigureAwait(false);
        }

        if (!blobPaths.ContainsKey(digest))
        {
            await ResolveAsync(null, cancellationToken).ConfigureAwait(false);
        }

        return blobPaths.TryGetValue(digest, out var p) && files.TryOpen(p) is { } s
            ? s
            : throw new ImageNotFoundException($"{Name}: blob {digest} is not in the archive.");
    }

    public ValueTask DisposeAsync()
    {
        files.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<Descriptor> DescribeLayerAsync(string layerPath, string diffId, Dictionary<string, Descriptor>? sources, CancellationToken cancellationToken)
    {
        if (sources is not null && sources.TryGetValue(diffId, out var foreign) && foreign.MediaType is { } foreignType && MediaTypes.IsForeign(foreignType))
        {
            return new Descriptor { MediaType = foreignType, Digest = foreign.Digest, Size = foreign.Size };
        }

        using var stream = files.TryOpen(layerPath) ?? throw new ImageNotFoundException($"{Name}: layer {layerPath} is missing.");
        var size = stream.Length;
        var magic = new byte[4];
        var read = await stream.ReadAtLeastAsync(magic, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var mediaType = read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b ? MediaTypes.OciLayerGzip
            : read >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd ? MediaTypes.OciLayerZstd
            : MediaTypes.OciLayer;

        // Uncompressed layers (the usual case) are their own diffID; otherwise the file name carries the digest.
        var digest = DigestInName(layerPath) ?? (mediaType == MediaTypes.OciLayer ? diffId : null)
            ?? throw new InvalidImageException($"{Name}: layer {layerPath} is compressed and its name carries no digest.");
        blobPaths[digest] = layerPath;
        return new Descriptor { MediaType = mediaType, Digest = digest, Size = size };
    }

    private static string? DigestInName(string entryPath)
    {
        var m = HexName().Match(entryPath);
        return m.Success ? "sha256:" + m.Groups[1].Value : null;
    }

    // blobs/sha256/HEX, HEX.json, HEX.tar or HEX/layer.tar: the digest of the file for everything but legacy
    // HEX/layer.tar, whose directory name is a v1 layer id rather than a digest.
    [GeneratedRegex(@"(?:^|/)([0-9a-f]{64})(?:\.json|\.tar)?$")]
    private static partial Regex HexName();

    internal sealed class SaveEntry
    {
        public string? Config { get; set; }

        public List<string>? RepoTags { get; set; }

        public List<string>? Layers { get; set; }

        public Dictionary<string, Descriptor>? LayerSources { get; set; }
    }
}
