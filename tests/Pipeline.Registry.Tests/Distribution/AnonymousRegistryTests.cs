using Pipeline.Core.Images;
using Pipeline.Registry.Tests.Fakes;
using Pipeline.TestKit;
using Pipeline.TestKit.Images;
using Pipeline.TestKit.Registry;

namespace Pipeline.Registry.Tests.Distribution;

public sealed class AnonymousRegistryTests(AnonymousRegistryFixture registry) : IClassFixture<AnonymousRegistryFixture>
{
    private static RegistryOptions Options() => new() { DockerConfigPath = "/nonexistent/config.json" };

    [Fact]
    public async Task Resolve_OciManifest_LayersStreamedAndVerified()
    {
        var reference = await registry.PushAsync(TestImages.Small.LayoutDir, TestImages.Small.Tag, "anon/oci");
        await using var source = ImageSourceFactory.Create(reference, Options());

        var image = Assert.Single(await source.ResolveAsync());

        Assert.Equal(registry.Host, image.Registry);
        Assert.Equal("anon/oci", image.Repository);
        Assert.Equal(TestImages.Small.ManifestDigest, image.ManifestDigest);
        Assert.All(image.Layers, l => Assert.Equal(MediaTypes.OciLayerGzip, l.MediaType));
        await TestImages.AssertSmallImageAsync(source, image);
    }

    [Fact]
    public async Task Resolve_DockerV2Schema2_DockerMediaTypes()
    {
        var reference = await registry.PushAsync(TestImages.Small.LayoutDir, TestImages.Small.Tag, "anon/docker", dockerV2: true);
        await using var source = ImageSourceFactory.Create("docker://" + reference, Options());

        var image = Assert.Single(await source.ResolveAsync());

        Assert.All(image.Layers, l => Assert.Equal(MediaTypes.DockerLayerGzip, l.MediaType));
        await TestImages.AssertSmallImageAsync(source, image);
    }

    [Fact]
    public async Task Resolve_ByDigest_SameImage()
    {
        await registry.PushAsync(TestImages.Small.LayoutDir, TestImages.Small.Tag, "anon/bydigest");
        await using var source = ImageSourceFactory.Create($"{registry.Host}/anon/bydigest@{TestImages.Small.ManifestDigest}", Options());
        Assert.Equal(TestImages.Small.ManifestDigest, Assert.Single(await source.ResolveAsync()).ManifestDigest);
    }

    [Fact]
    public async Task Resolve_UnknownTag_NotFoundWithRegistryCode()
    {
        await registry.PushAsync(TestImages.Small.LayoutDir, TestImages.Small.Tag, "anon/missing");
        await using var source = ImageSourceFactory.Create($"{registry.Host}/anon/missing:nope", Options());
        var e = await Assert.ThrowsAsync<ImageNotFoundException>(() => source.ResolveAsync());
        Assert.Contains("anon/missing:nope", e.Message, StringComparison.Ordinal);
        Assert.Contains("MANIFEST_UNKNOWN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_IndexWithTwoPlatforms_OneImageEachAndPlatformFilter()
    {
        var (amd, arm, indexLayout) = TestImages.BuildMultiPlatform();
        var reference = await registry.PushAsync(indexLayout, "multi", "anon/multi");
        await using var source = ImageSourceFactory.Create(reference, Options());

        var all = await source.ResolveAsync();
        Assert.Equal(["linux/amd64", "linux/arm64"], all.Select(i => i.Platform.ToString()).Order());
        Assert.All(all, i => Assert.NotNull(i.IndexDigest));
        Assert.Equal(new[] { amd.ManifestDigest, arm.ManifestDigest }.Order(StringComparer.Ordinal), all.Select(i => i.ManifestDigest).Order(StringComparer.Ordinal));

        var arm64 = Assert.Single(await source.ResolveAsync(Platform.Parse("linux/arm64")));
        Assert.Equal(arm.ManifestDigest, arm64.ManifestDigest);
        await TestImages.ReadLayerAsync(source, arm64.Layers[1]);

        var e = await Assert.ThrowsAsync<ImageNotFoundException>(() => source.ResolveAsync(Platform.Parse("linux/s390x")));
        Assert.Contains("linux/s390x", e.Message, StringComparison.Ordinal);
        Assert.Contains("linux/arm64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_OciLayoutIndex_SameAsRegistry()
    {
        var (_, _, indexLayout) = TestImages.BuildMultiPlatform();
        await using var source = ImageSourceFactory.Create($"oci:{indexLayout}:multi", Options());
        Assert.Equal(2, (await source.ResolveAsync()).Count);
        Assert.Single(await source.ResolveAsync(Platform.Parse("linux/amd64")));
    }

    [Fact]
    public async Task Resolve_TamperedConfigInRegistryStorage_DigestMismatch()
    {
        // A fresh image, so tampering with its config does not disturb the other tests' blobs.
        var image = TestImages.BuildSmall(Path.Combine(TestPaths.NewTempDir("tamper"), "layout"), "1.0");
        image.Config(labels: new Dictionary<string, string> { ["unique"] = Guid.NewGuid().ToString("N") });
        var reference = await registry.PushAsync(image.LayoutDir, image.Tag, "anon/tampered");
        var configDigest = image.Manifest["config"]!["digest"]!.GetValue<string>();
        var data = registry.BlobDataPath(configDigest);
        File.WriteAllText(data, File.ReadAllText(data).Replace("amd64", "amd65", StringComparison.Ordinal));
        await using var source = ImageSourceFactory.Create(reference, Options());

        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => source.ResolveAsync());
        Assert.Equal(configDigest, e.Expected);
        Assert.Contains(configDigest, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_ClosedPort_UnreachableSaysConnectionRefused()
    {
        var port = FreePort.Next();
        await using var source = ImageSourceFactory.Create($"127.0.0.1:{port}/app:1", Options());
        var e = await Assert.ThrowsAsync<RegistryUnreachableException>(() => source.ResolveAsync());
        Assert.Equal($"Cannot reach registry 127.0.0.1:{port}: connection refused (http://127.0.0.1:{port}).", e.Message);
    }

    [Fact]
    public async Task Resolve_UnknownHost_UnreachableSaysHostNotFound()
    {
        await using var source = ImageSourceFactory.Create("no-such-host.invalid/app:1", Options());
        var e = await Assert.ThrowsAsync<RegistryUnreachableException>(() => source.ResolveAsync());
        Assert.Contains("host not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_HostNotAllowed_RefusedBeforeAnyRequest()
    {
        using var server = new FakeHttpServer(_ => new FakeResponse(200));
        var options = Options();
        options.AllowedRegistries = [registry.Host, "myreg.azurecr.io"];
        var e = Assert.Throws<RegistryNotAllowedException>(() => ImageSourceFactory.Create($"{server.Host}/app:1", options));
        Assert.Equal(server.Host, e.Registry);
        Assert.Empty(server.Requests);
        Assert.Throws<RegistryNotAllowedException>(() => ImageSourceFactory.Create("169.254.169.254/latest:1", options));
    }
}
