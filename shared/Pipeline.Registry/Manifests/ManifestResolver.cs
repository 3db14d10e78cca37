using Pipeline.Core.Images;

namespace Pipeline.Registry.Manifests;

/// <summary>A manifest's bytes with what is known about them.</summary>
internal sealed record ManifestBytes(byte[] Bytes, string? ContentType, string Digest);

/// <summary>Where an image lives, copied into every <see cref="ResolvedImage"/>.</summary>
internal sealed record ImageLocation(string? Registry, string Repository, string? Tag);

/// <summary>
/// Turns a manifest or index into one <see cref="ResolvedImage"/> per platform. Shared by every source:
/// each supplies how to fetch a child manifest and a config blob (both digest-verified by the source).
/// </summary>
internal sealed class ManifestResolver(
    Func<Descriptor, CancellationToken, Task<ManifestBytes>> fetchManifest,
    Func<string, CancellationToken, Task<byte[]>> fetchConfig,
    Action<string>? notes)
{
    // Nested indexes are legal but real images have at most one level; bound the recursion.
    private const int MaxDepth = 4;

    public async Task<IReadOnlyList<ResolvedImage>> ResolveAsync(ManifestBytes root, ImageLocation location, Platform? filter, CancellationToken cancellationToken)
    {
        var results = new List<ResolvedImage>();
        var available = new List<Platform>();
        await CollectAsync(root, null, location, filter, results, available, 0, cancellationToken).ConfigureAwait(false);
        if (results.Count == 0)
        {
            throw new ImageNotFoundException(filter is null
                ? $"{Describe(location)} has no image manifest for any platform."
                : $"{Describe(location)} has no image for platform {filter}; available: {(available.Count == 0 ? "none" : string.Join(", ", available.Distinct()))}.");
        }

        return results;
    }

    private async Task CollectAsync(ManifestBytes manifest, string? indexDigest, ImageLocation location, Platform? filter,
        List<ResolvedImage> results, List<Platform> available, int depth, CancellationToken cancellationToken)
    {
        var what = $"{Describe(location)} ({manifest.Digest})";
        var doc = ManifestDocument.Parse(manifest.Bytes, manifest.ContentType, what);
        if (!doc.IsIndex)
        {
            var image = await ToImageAsync(doc, manifest.Digest, indexDigest, location, cancellationToken).ConfigureAwait(false);
            available.Add(image.Platform);
            if (filter is null || filter.Matches(image.Platform))
            {
                results.Add(image);
            }

            return;
        }

        if (depth >= MaxDepth)
        {
            throw new InvalidImageException($"{what}: indexes nested deeper than {MaxDepth} levels.");
        }

        foreach (var child in doc.Manifests ?? [])
        {
            if (child.Digest is null || !Digests.IsValid(child.Digest))
            {
                throw new InvalidImageException($"{what}: an index entry has an invalid digest '{Digests.Shorten(child.Digest)}'.");
            }

            var platform = child.Platform is { Os: { } os, Architecture: { } arch } ? new Platform(os, arch, child.Platform.Variant) : null;
            if (platform is { Os: "unknown", Architecture: "unknown" })
            {
                // BuildKit stores provenance and SBOM attestations as unknown/unknown manifests: not images.
                notes?.Invoke($"Skipped {child.Digest} in {Describe(location)}: attestation manifest (platform unknown/unknown).");
                continue;
            }

            if (!MediaTypes.IsIndex(child.MediaType) && !MediaTypes.IsManifest(child.MediaType))
            {
                notes?.Invoke($"Skipped {child.Digest} in {Describe(location)}: not an image (media type {Digests.Shorten(child.MediaType)}).");
                continue;
            }

            if (platform is not null)
            {
                available.Add(platform);
                if (filter is not null && !filter.Matches(platform))
                {
                    continue;
                }
            }

            var bytes = await fetchManifest(child, cancellationToken).ConfigureAwait(false);
            await CollectAsync(bytes, indexDigest ?? manifest.Digest, location, filter, results, available, depth + 1, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ResolvedImage> ToImageAsync(ManifestDocument doc, string digest, string? indexDigest, ImageLocation location, CancellationToken cancellationToken)
    {
        var what = $"{Describe(location)} ({digest})";
        var configDescriptor = doc.Config ?? throw new InvalidImageException($"{what}: the manifest has no config.");
        if (configDescriptor.MediaType is not (MediaTypes.OciConfig or MediaTypes.DockerConfig))
        {
            throw new UnsupportedMediaTypeException(configDescriptor.MediaType ?? "(none)",
                $"{what} is not a container image: unsupported config media type '{Digests.Shorten(configDescriptor.MediaType ?? "(none)")}'.");
        }

        if (!Digests.IsValid(configDescriptor.Digest))
        {
            throw new InvalidImageException($"{what}: invalid config digest '{Digests.Shorten(configDescriptor.Digest)}'.");
        }

        var configBytes = await fetchConfig(configDescriptor.Digest!, cancellationToken).ConfigureAwait(false);
        ImageConfig config;
        try
        {
            config = ImageConfig.Parse(configBytes);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidImageException($"{what}: the image config {configDescriptor.Digest} is not valid JSON: {e.Message}", e);
        }

        var manifestLayers = doc.Layers ?? [];
        var diffIds = config.RootFs?.DiffIds ?? [];
        if (diffIds.Count != manifestLayers.Count)
        {
            throw new InvalidImageException($"{what}: the config lists {diffIds.Count} diff_ids but the manifest has {manifestLayers.Count} layers.");
        }

        var layers = new List<LayerDescriptor>(manifestLayers.Count);
        for (var i = 0; i < manifestLayers.Count; i++)
        {
            var layer = manifestLayers[i];
            var mediaType = layer.MediaType ?? "(none)";
            if (MediaTypes.CompressionOf(mediaType) == LayerCompression.Unknown)
            {
                throw new UnsupportedMediaTypeException(mediaType, $"{what}: layer {i + 1} has unsupported media type '{Digests.Shorten(mediaType)}'.");
            }

            if (!Digests.IsValid(layer.Digest) || !Digests.IsValid(diffIds[i]))
            {
                throw new InvalidImageException($"{what}: layer {i + 1} has an invalid digest or diff_id.");
            }

            layers.Add(new LayerDescriptor
            {
                Digest = layer.Digest!,
                MediaType = mediaType,
                Size = layer.Size,
                DiffId = diffIds[i],
                Foreign = MediaTypes.IsForeign(mediaType),
            });
        }

        return new ResolvedImage
        {
            Registry = location.Registry,
            Repository = location.Repository,
            Tag = location.Tag,
            ManifestDigest = digest,
            IndexDigest = indexDigest,
            Platform = new Platform(config.Os ?? "unknown", config.Architecture ?? "unknown", string.IsNullOrEmpty(config.Variant) ? null : config.Variant),
            ConfigDigest = configDescriptor.Digest!,
            Config = config,
            Layers = layers,
            Annotations = doc.Annotations ?? new Dictionary<string, string>(),
        };
    }

    private static string Describe(ImageLocation l) =>
        (l.Registry is null ? l.Repository : $"{l.Registry}/{l.Repository}") + (l.Tag is null ? "" : ":" + l.Tag);
}
