using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Core.Images;

namespace Pipeline.Registry.Manifests;

/// <summary>An OCI content descriptor (also Docker schema 2's).</summary>
internal sealed class Descriptor
{
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; set; }

    [JsonPropertyName("digest")]
    public string? Digest { get; set; }

    [JsonPropertyName("size")]
    public long Size { get; set; }

    [JsonPropertyName("platform")]
    public DescriptorPlatform? Platform { get; set; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonPropertyName("urls")]
    public List<string>? Urls { get; set; }
}

internal sealed class DescriptorPlatform
{
    [JsonPropertyName("os")]
    public string? Os { get; set; }

    [JsonPropertyName("architecture")]
    public string? Architecture { get; set; }

    [JsonPropertyName("variant")]
    public string? Variant { get; set; }
}

/// <summary>An image manifest or an index/manifest list: one type, as both arrive from the same endpoint.</summary>
internal sealed class ManifestDocument
{
    // Manifests are small; the distribution registry itself refuses ones above 4 MiB.
    public const int MaxBytes = 4 << 20;

    // Configs carry history and labels; 32 MiB is far above any real one.
    public const int MaxConfigBytes = 32 << 20;

    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; set; }

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; set; }

    [JsonPropertyName("config")]
    public Descriptor? Config { get; set; }

    [JsonPropertyName("layers")]
    public List<Descriptor>? Layers { get; set; }

    [JsonPropertyName("manifests")]
    public List<Descriptor>? Manifests { get; set; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }

    /// <summary>
    /// Parses and classifies: the body's own mediaType wins, then the Content-Type it came with, then its shape
    /// (OCI allows omitting mediaType).
    /// </summary>
    public static ManifestDocument Parse(byte[] bytes, string? contentType, string what)
    {
        ManifestDocument doc;
        try
        {
            doc = JsonSerializer.Deserialize(bytes, RegistryJsonContext.Default.ManifestDocument) ?? throw new JsonException("empty document");
        }
        catch (JsonException e)
        {
            throw new InvalidImageException($"The manifest of {what} is not valid JSON: {e.Message}", e);
        }

        if (doc.SchemaVersion == 1)
        {
            throw new UnsupportedMediaTypeException("application/vnd.docker.distribution.manifest.v1+json",
                $"The manifest of {what} is Docker schema 1, which is deprecated and not supported; re-push the image with a current client.");
        }

        var type = doc.MediaType;
        if (string.IsNullOrEmpty(type) && contentType is not null && (MediaTypes.IsIndex(contentType) || MediaTypes.IsManifest(contentType)))
        {
            type = contentType;
        }

        if (string.IsNullOrEmpty(type))
        {
            type = doc.Manifests is not null ? MediaTypes.OciIndex : doc.Config is not null ? MediaTypes.OciManifest : null;
        }

        if (!MediaTypes.IsIndex(type) && !MediaTypes.IsManifest(type))
        {
            throw new UnsupportedMediaTypeException(type ?? contentType ?? "(none)",
                $"Unsupported manifest media type '{Digests.Shorten(type ?? contentType ?? "(none)")}' for {what}.");
        }

        doc.MediaType = type;
        return doc;
    }

    public bool IsIndex => MediaTypes.IsIndex(MediaType);

}
