using System.Text.Json.Nodes;
using Pipeline.TestKit;
using Pipeline.TestKit.Images;

namespace Pipeline.Registry.Tests.Layout;

public sealed class LocalSourcesTests
{
    private static readonly RegistryOptions Options = new();

    [Fact]
    public async Task Oci_LayoutWithTag_ResolvesLayersConfigAndWhiteouts()
    {
        var image = TestImages.Small;
        await using var source = ImageSourceFactory.Create(image.Reference, Options);

        var resolved = Assert.Single(await source.ResolveAsync());

        Assert.Equal(image.ManifestDigest, resolved.ManifestDigest);
        Assert.Equal("1.0", resolved.Tag);
        Assert.Null(resolved.Registry);
        Assert.Null(resolved.IndexDigest);
        await TestImages.AssertSmallImageAsync(source, resolved);
    }

    [Fact]
    public async Task Oci_LayoutWithoutTag_SingleImageResolves()
    {
        await using var source = ImageSourceFactory.Create("oci:" + TestImages.Small.LayoutDir, Options);
        Assert.Equal(TestImages.Small.ManifestDigest, Assert.Single(await source.ResolveAsync()).ManifestDigest);
    }

    [Fact]
    public async Task Oci_UnknownTag_NotFoundListsTags()
    {
        await using var source = ImageSourceFactory.Create($"oci:{TestImages.Small.LayoutDir}:nope", Options);
        var e = await Assert.ThrowsAsync<ImageNotFoundException>(() => source.ResolveAsync());
        Assert.Contains("'nope'", e.Message, StringComparison.Ordinal);
        Assert.Contains("tags: 1.0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Oci_MissingDirectory_ClearError()
    {
        var e = Assert.Throws<ImageNotFoundException>(() => ImageSourceFactory.Create("oci:/nonexistent/layout", Options));
        Assert.Contains("/nonexistent/layout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OciArchive_SkopeoArchive_ResolvesSameImageWithoutExtracting()
    {
        var archive = TestImages.Small.ToOciArchive(Path.Combine(TestPaths.NewTempDir(), "image.tar"));
        var before = Directory.GetFiles(Path.GetDirectoryName(archive)!).Length;
        await using var source = ImageSourceFactory.Create("oci-archive:" + archive, Options);

        var resolved = Assert.Single(await source.ResolveAsync());

        Assert.Equal(TestImages.Small.ManifestDigest, resolved.ManifestDigest);
        await TestImages.AssertSmallImageAsync(source, resolved);
        Assert.Equal(before, Directory.GetFiles(Path.GetDirectoryName(archive)!).Length);
    }

    [Fact]
    public async Task DockerArchive_SkopeoDockerSave_ResolvesSameDiffIdsAndVerifiedLayers()
    {
        var archive = TestImages.Small.ToDockerArchive(Path.Combine(TestPaths.NewTempDir(), "image.tar"), "team/app:2.0");
        await using var source = ImageSourceFactory.Create("docker-archive:" + archive, Options);

        var resolved = Assert.Single(await source.ResolveAsync());

        Assert.Equal("2.0", resolved.Tag);
        Assert.Equal(TestImages.Small.ImageConfig["rootfs"]!["diff_ids"]!.AsArray().Select(d => d!.GetValue<string>()), resolved.Layers.Select(l => l.DiffId));
        Assert.All(resolved.Layers, l => Assert.Equal(Pipeline.Core.Images.MediaTypes.OciLayer, l.MediaType));
        await TestImages.AssertSmallImageAsync(source, resolved);
    }

    [Fact]
    public async Task Oci_TamperedConfig_DigestMismatch()
    {
        var layout = TestImages.CopyLayout(TestImages.Small.LayoutDir);
        var configDigest = TestImages.Small.Manifest["config"]!["digest"]!.GetValue<string>();
        var path = OciLayout.BlobPath(layout, configDigest);
        File.WriteAllText(path, File.ReadAllText(path).Replace("amd64", "arm64", StringComparison.Ordinal));
        await using var source = ImageSourceFactory.Create($"oci:{layout}:1.0", Options);

        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => source.ResolveAsync());
        Assert.Equal(configDigest, e.Expected);
    }

    [Fact]
    public async Task Oci_UnknownLayerMediaType_ErrorNamesIt()
    {
        var layout = TestImages.CopyLayout(TestImages.Small.LayoutDir);
        var manifest = TestImages.Small.Manifest.AsObject();
        manifest["layers"]![1]!["mediaType"] = "application/vnd.example.strange.layer";
        var bytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var digest = Digests.Compute(bytes);
        File.WriteAllBytes(OciLayout.BlobPath(layout, digest), bytes);
        OciLayout.SetTag(layout, "1.0", new JsonObject { ["mediaType"] = "application/vnd.oci.image.manifest.v1+json", ["digest"] = digest, ["size"] = bytes.Length });
        await using var source = ImageSourceFactory.Create($"oci:{layout}:1.0", Options);

        var e = await Assert.ThrowsAsync<UnsupportedMediaTypeException>(() => source.ResolveAsync());
        Assert.Equal("application/vnd.example.strange.layer", e.MediaType);
        Assert.Contains("layer 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OciArchive_NotATar_ClearError()
    {
        var file = Path.Combine(TestPaths.NewTempDir(), "junk.tar");
        File.WriteAllBytes(file, System.Text.Encoding.ASCII.GetBytes(new string('x', 2000)));
        var e = Assert.ThrowsAny<RegistryException>(() => ImageSourceFactory.Create("oci-archive:" + file, Options));
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
    }
}
