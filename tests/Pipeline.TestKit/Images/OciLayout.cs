using System.Text.Json.Nodes;

namespace Pipeline.TestKit.Images;

/// <summary>Small helpers to read and edit an OCI image layout's index.json and blobs in tests.</summary>
public static class OciLayout
{
    private const string RefName = "org.opencontainers.image.ref.name";

    /// <summary>The index.json descriptor tagged <paramref name="tag"/>.</summary>
    public static JsonNode Find(string layoutDir, string tag)
    {
        var index = ReadIndex(layoutDir);
        return index["manifests"]!.AsArray().FirstOrDefault(m => m?["annotations"]?[RefName]?.GetValue<string>() == tag)
            ?? throw new InvalidOperationException($"No tag {tag} in {layoutDir}/index.json.");
    }

    /// <summary>Parses a blob of the layout.</summary>
    public static JsonNode ReadBlob(string layoutDir, string digest) =>
        JsonNode.Parse(File.ReadAllBytes(BlobPath(layoutDir, digest)))!;

    /// <summary>The file of a blob.</summary>
    public static string BlobPath(string layoutDir, string digest) =>
        Path.Combine(layoutDir, "blobs", digest[..digest.IndexOf(':', StringComparison.Ordinal)], digest[(digest.IndexOf(':', StringComparison.Ordinal) + 1)..]);

    /// <summary>Points <paramref name="tag"/> at <paramref name="descriptor"/> in index.json, replacing an existing entry.</summary>
    public static void SetTag(string layoutDir, string tag, JsonObject descriptor)
    {
        var index = ReadIndex(layoutDir);
        if (index["manifests"] is not JsonArray manifests)
        {
            manifests = [];
            index["manifests"] = manifests;
        }

        foreach (var old in manifests.Where(m => m?["annotations"]?[RefName]?.GetValue<string>() == tag).ToList())
        {
            manifests.Remove(old);
        }

        descriptor["annotations"] = new JsonObject { [RefName] = tag };
        manifests.Add(descriptor);
        File.WriteAllText(Path.Combine(layoutDir, "index.json"), index.ToJsonString());
    }

    private static JsonNode ReadIndex(string layoutDir) => JsonNode.Parse(File.ReadAllBytes(Path.Combine(layoutDir, "index.json")))!;
}
