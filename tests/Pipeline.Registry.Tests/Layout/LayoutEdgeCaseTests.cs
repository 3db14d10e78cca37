using System.Text.Json.Nodes;
using Pipeline.TestKit;
using Pipeline.TestKit.Images;

namespace Pipeline.Registry.Tests.Layout;

public sealed class LayoutEdgeCaseTests
{
    [Fact]
    public async Task Resolve_IndexWithAttestationManifest_SkippedWithNote()
    {
        var dir = TestPaths.NewTempDir("attest");
        var amd = TestImages.BuildSmall(Path.Combine(dir, "amd64"), "1.0");
        var layout = OciImageBuilder.CreateIndex(Path.Combine(dir, "index"), "multi", amd);
        // Add a BuildKit-style attestation entry (platform unknown/unknown) to the index blob.
        var indexDigest = OciLayout.Find(layout, "multi")["digest"]!.GetValue<string>();
        var index = OciLayout.ReadBlob(layout, indexDigest).AsObject();
        index["manifests"]!.AsArray().Add(new JsonObject
        {
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["digest"] = amd.ManifestDigest,
            ["size"] = 1,
            ["platform"] = new JsonObject { ["os"] = "unknown", ["architecture"] = "unknown" },
            ["annotations"] = new JsonObject { ["vnd.docker.reference.type"] = "attestation-manifest" },
        });
        var bytes = System.Text.Encoding.UTF8.GetBytes(index.ToJsonString());
        var digest = Digests.Compute(bytes);
        File.WriteAllBytes(OciLayout.BlobPath(layout, digest), bytes);
        OciLayout.SetTag(layout, "multi", new JsonObject { ["mediaType"] = "application/vnd.oci.image.index.v1+json", ["digest"] = digest, ["size"] = bytes.Length });
        var notes = new List<string>();
        await using var source = ImageSourceFactory.Create($"oci:{layout}:multi", new RegistryOptions { Notes = notes.Add });

        var image = Assert.Single(await source.ResolveAsync());

        Assert.Equal(digest, image.IndexDigest);
        Assert.Contains(notes, n => n.Contains("attestation", StringComparison.Ordinal) && n.Contains(amd.ManifestDigest, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolve_DiffIdCountMismatch_ClearError()
    {
        var layout = TestImages.CopyLayout(TestImages.Small.LayoutDir);
        var manifest = TestImages.Small.Manifest.AsObject();
        manifest["layers"]!.AsArray().RemoveAt(1);
        var bytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var digest = Digests.Compute(bytes);
        File.WriteAllBytes(OciLayout.BlobPath(layout, digest), bytes);
        OciLayout.SetTag(layout, "1.0", new JsonObject { ["mediaType"] = "application/vnd.oci.image.manifest.v1+json", ["digest"] = digest, ["size"] = bytes.Length });
        await using var source = ImageSourceFactory.Create($"oci:{layout}:1.0", new RegistryOptions());

        var e = await Assert.ThrowsAsync<InvalidImageException>(() => source.ResolveAsync());
        Assert.Contains("2 diff_ids but the manifest has 1 layers", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DockerArchive_NewerDockerSaveWithOciLayout_ReadsTheLayout()
    {
        // Docker 25+ writes an OCI layout (index.json, oci-layout, blobs/) next to manifest.json in one tar.
        var layout = TestImages.CopyLayout(TestImages.Small.LayoutDir);
        var manifest = TestImages.Small.Manifest;
        var entry = new JsonArray(new JsonObject
        {
            ["Config"] = "blobs/sha256/" + manifest["config"]!["digest"]!.GetValue<string>()[7..],
            ["RepoTags"] = new JsonArray("team/app:1.0"),
            ["Layers"] = new JsonArray(manifest["layers"]!.AsArray().Select(l => (JsonNode)("blobs/sha256/" + l!["digest"]!.GetValue<string>()[7..])).ToArray()),
        });
        File.WriteAllText(Path.Combine(layout, "manifest.json"), entry.ToJsonString());
        var archive = Path.Combine(TestPaths.NewTempDir(), "save.tar");
        Tool.Run("tar", ["-C", layout, "-cf", archive, "manifest.json", "index.json", "oci-layout", "blobs"]);
        await using var source = ImageSourceFactory.Create("docker-archive:" + archive, new RegistryOptions());

        var image = Assert.Single(await source.ResolveAsync());

        Assert.Equal(TestImages.Small.ManifestDigest, image.ManifestDigest);
        await TestImages.AssertSmallImageAsync(source, image);
    }
}
