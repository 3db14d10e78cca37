using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Reports;

/// <summary>
/// SARIF and CycloneDX documents are built as JSON nodes and written straight to a <see cref="Utf8JsonWriter"/>:
/// no serializer metadata is involved, so they work the same in the native command-line tool.
/// </summary>
internal static class JsonNodeWriting
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Adds a node; <see cref="JsonArray.Add{T}(T)"/> would wrap a <see cref="JsonObject"/> as a value through reflection.</summary>
    public static void AddNode(this JsonArray array, JsonNode node) => array.Add(node);

    public static async Task WriteAsync(JsonNode document, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(output, Indented);
        document.WriteTo(writer);
        await writer.FlushAsync(cancellationToken);
    }
}
