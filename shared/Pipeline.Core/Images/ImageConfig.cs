using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Core.Images;

/// <summary>
/// The OCI image configuration (application/vnd.oci.image.config.v1+json, and Docker's equivalent), the
/// fields the scanner reads. Unknown fields are ignored.
/// </summary>
public sealed class ImageConfig
{
    [JsonPropertyName("architecture")]
    public string? Architecture { get; set; }

    [JsonPropertyName("os")]
    public string? Os { get; set; }

    [JsonPropertyName("variant")]
    public string? Variant { get; set; }

    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; set; }

    [JsonPropertyName("config")]
    public ContainerConfig? Config { get; set; }

    [JsonPropertyName("rootfs")]
    public RootFs? RootFs { get; set; }

    [JsonPropertyName("history")]
    public List<HistoryEntry>? History { get; set; }

    public static ImageConfig Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, WireJsonContext.Default.ImageConfig)
        ?? throw new InvalidDataException("The image config is empty.");
}

/// <summary>Source-generated metadata for the image config as registries serve it (exact field names).</summary>
[JsonSerializable(typeof(ImageConfig))]
internal sealed partial class WireJsonContext : JsonSerializerContext;

public sealed class ContainerConfig
{
    [JsonPropertyName("User")]
    public string? User { get; set; }

    [JsonPropertyName("Env")]
    public List<string>? Env { get; set; }

    [JsonPropertyName("Entrypoint")]
    public List<string>? Entrypoint { get; set; }

    [JsonPropertyName("Cmd")]
    public List<string>? Cmd { get; set; }

    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; set; }

    [JsonPropertyName("ExposedPorts")]
    public Dictionary<string, JsonElement>? ExposedPorts { get; set; }

    [JsonPropertyName("Labels")]
    public Dictionary<string, string>? Labels { get; set; }

    [JsonPropertyName("Healthcheck")]
    public HealthcheckConfig? Healthcheck { get; set; }

    [JsonPropertyName("StopSignal")]
    public string? StopSignal { get; set; }
}

public sealed class HealthcheckConfig
{
    [JsonPropertyName("Test")]
    public List<string>? Test { get; set; }
}

public sealed class RootFs
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("diff_ids")]
    public List<string> DiffIds { get; set; } = [];
}

public sealed class HistoryEntry
{
    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; set; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; set; }

    [JsonPropertyName("comment")]
    public string? Comment { get; set; }

    [JsonPropertyName("empty_layer")]
    public bool EmptyLayer { get; set; }
}
