namespace Pipeline.Core.Images;

/// <summary>
/// Where an image comes from: a registry, an OCI layout directory, an oci-archive or a docker-archive.
/// Resolving reads manifests and configs only; layer blobs are opened one at a time, as streams.
/// </summary>
public interface IImageSource : IAsyncDisposable
{
    /// <summary>A display name for reports (<c>registry:5000/app:1.0</c>, <c>oci:/path:tag</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Resolves the reference to one image per platform: an index or manifest list yields every platform
    /// (or only those matching <paramref name="platform"/>), a single manifest yields one.
    /// </summary>
    Task<IReadOnlyList<ResolvedImage>> ResolveAsync(Platform? platform = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a blob as it is stored (compressed for layers). The stream is not verified: callers verify the
    /// digest while reading, see <c>DigestVerifyingStream</c>.
    /// </summary>
    Task<Stream> OpenBlobAsync(string digest, CancellationToken cancellationToken = default);
}

/// <summary>One platform's image: its manifest, config and layers.</summary>
public sealed record ResolvedImage
{
    /// <summary>Registry host (with port) for registry images; null for local sources.</summary>
    public string? Registry { get; init; }

    /// <summary>Repository path for registry images; the layout or archive path for local ones.</summary>
    public required string Repository { get; init; }

    public string? Tag { get; init; }

    /// <summary>Digest of this platform's manifest.</summary>
    public required string ManifestDigest { get; init; }

    /// <summary>Digest of the index or manifest list this manifest was chosen from, if any.</summary>
    public string? IndexDigest { get; init; }

    public required Platform Platform { get; init; }

    public required string ConfigDigest { get; init; }

    public required ImageConfig Config { get; init; }

    /// <summary>Layers in order, base first. DiffIds come from the config's rootfs.</summary>
    public required IReadOnlyList<LayerDescriptor> Layers { get; init; }

    /// <summary>Manifest annotations (for example <c>org.opencontainers.image.base.name</c>).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();
}

/// <summary>A layer as the manifest describes it, with its diffID from the config.</summary>
public sealed record LayerDescriptor
{
    public required string Digest { get; init; }

    public required string MediaType { get; init; }

    public long Size { get; init; }

    /// <summary>The config's <c>rootfs.diff_ids</c> entry for this layer.</summary>
    public required string DiffId { get; init; }

    /// <summary>Foreign (non-distributable) layers are reported as skipped, never pulled.</summary>
    public bool Foreign { get; init; }

    public LayerCompression Compression => MediaTypes.CompressionOf(MediaType);
}

public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
    Unknown,
}

/// <summary>The OCI and Docker media types the scanner understands.</summary>
public static class MediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string OciLayerNondistributableGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public const string OciLayerNondistributable = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public const string OciLayerNondistributableZstd = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    public static LayerCompression CompressionOf(string mediaType) => mediaType switch
    {
        OciLayer or OciLayerNondistributable or "application/vnd.docker.image.rootfs.diff.tar" => LayerCompression.None,
        OciLayerGzip or OciLayerNondistributableGzip or DockerLayerGzip or DockerForeignLayerGzip => LayerCompression.Gzip,
        OciLayerZstd or OciLayerNondistributableZstd => LayerCompression.Zstd,
        _ => LayerCompression.Unknown,
    };

    public static bool IsForeign(string mediaType) =>
        mediaType.Contains(".nondistributable.", StringComparison.Ordinal) || mediaType == DockerForeignLayerGzip;

    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    public static bool IsManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;
}
