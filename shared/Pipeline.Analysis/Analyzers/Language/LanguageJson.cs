using System.Text.Json;

namespace Pipeline.Analysis.Analyzers.Language;

/// <summary>JSON reading shared by the lock-file and manifest analyzers (package.json, deps.json, composer, Pipfile.lock).</summary>
internal static class LanguageJson
{
    // Depth is bounded so a hostile file nested thousands deep fails fast instead of exhausting the stack.
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 256,
    };

    public static JsonDocument Parse(ReadOnlyMemory<byte> content) => JsonDocument.Parse(LanguageText.WithoutBom(content), Options);

    public static string? String(this JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static bool Bool(this JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.True;

    public static JsonElement? Object(this JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    public static JsonElement? Array(this JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Array ? v : null;

    /// <summary>
    /// Licenses in the shapes package managers wrote over the years: <c>"MIT"</c>, <c>{"type": "MIT"}</c>,
    /// and arrays of either (npm <c>license</c>/<c>licenses</c>, composer <c>license</c>).
    /// </summary>
    public static List<string> Licenses(this JsonElement e, params string[] properties)
    {
        var result = new List<string>();
        foreach (var property in properties)
        {
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v))
            {
                AddLicense(v, result);
            }
        }

        return result;
    }

    private static void AddLicense(JsonElement v, List<string> result)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.String when !string.IsNullOrWhiteSpace(v.GetString()):
                result.Add(v.GetString()!.Trim());
                break;
            case JsonValueKind.Object when v.String("type") is { Length: > 0 } t:
                result.Add(t.Trim());
                break;
            case JsonValueKind.Array:
                foreach (var item in v.EnumerateArray())
                {
                    if (item.ValueKind is JsonValueKind.String or JsonValueKind.Object)
                    {
                        AddLicense(item, result);
                    }
                }

                break;
        }
    }
}
