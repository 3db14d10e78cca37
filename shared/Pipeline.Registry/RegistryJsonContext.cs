using System.Text.Json.Serialization;
using Pipeline.Registry.Layout;
using Pipeline.Registry.Manifests;

namespace Pipeline.Registry;

/// <summary>
/// Source-generated metadata for the documents registries and archives hold: manifests and indexes (read with a
/// bounded depth), and <c>docker save</c>'s manifest.json. Nulls are left out when a manifest is written.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 32)]
[JsonSerializable(typeof(ManifestDocument))]
[JsonSerializable(typeof(List<DockerArchiveSource.SaveEntry>))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
