using Pipeline.Core.Images;
using Pipeline.Registry.Manifests;

namespace Pipeline.Registry.Distribution;

/// <summary>An image in a registry, read through the OCI distribution API.</summary>
internal sealed class RegistryImageSource(ImageReference reference, RegistryOptions options) : IImageSource
{
    private readonly RegistryClient client = new(reference, options);

    public string Name => reference.ToString();

    public async Task<IReadOnlyList<ResolvedImage>> ResolveAsync(Platform? platform = null, CancellationToken cancellationToken = default)
    {
        var resolver = new ManifestResolver(
            (d, ct) => client.GetManifestAsync(d.Digest!, ct),
            (digest, ct) => client.GetBlobBytesAsync(digest, ManifestDocument.MaxConfigBytes, "config", ct),
            options.Notes);
        var root = await client.GetManifestAsync(reference.ManifestReference, cancellationToken).ConfigureAwait(false);
        return await resolver.ResolveAsync(root, new ImageLocation(reference.Registry, reference.Repository, reference.Tag), platform, cancellationToken).ConfigureAwait(false);
    }

    public Task<Stream> OpenBlobAsync(string digest, CancellationToken cancellationToken = default) => client.OpenBlobAsync(digest, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
