using Pipeline.TestKit;
using Pipeline.TestKit.Images;
using Pipeline.TestKit.Registry;

namespace Pipeline.Registry.Tests;

/// <summary>A real Debian root (debootstrap minbase) as a two-layer image, pushed to a token-auth registry and pulled back.</summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task DebianImage_PushedToTokenRegistry_ResolvedAndEveryLayerVerified()
    {
        var dir = TestPaths.NewTempDir("debian-image");
        var image = OciImageBuilder.Create(Path.Combine(dir, "layout"), "bookworm")
            .AddLayer(DebianRoot.Path)
            .AddLayer(root =>
            {
                Directory.Delete(Path.Combine(root, "usr", "share", "doc", "apt"), recursive: true);
                File.AppendAllText(Path.Combine(root, "etc", "motd"), "scanned by pipeline tests\n");
                File.WriteAllText(Path.Combine(root, "etc", "pipeline-marker"), "layer 2\n");
            })
            .Config(user: "nobody");
        using var registry = new RegistryFixture(RegistryAuthMode.Token).Start();
        var reference = await registry.PushAsync(image.LayoutDir, image.Tag, "library/debian");

        await using var source = ImageSourceFactory.Create(reference, new RegistryOptions { Username = registry.Username, Password = registry.Password });
        var resolved = Assert.Single(await source.ResolveAsync());

        Assert.Equal(image.ManifestDigest, resolved.ManifestDigest);
        Assert.Equal("nobody", resolved.Config.Config?.User);
        var baseLayer = await TestImages.ReadLayerAsync(source, resolved.Layers[0]);
        Assert.Contains("var/lib/dpkg/status", baseLayer);
        Assert.Contains("etc/debian_version", baseLayer);
        var top = await TestImages.ReadLayerAsync(source, resolved.Layers[1]);
        Assert.Contains("usr/share/doc/.wh.apt", top);
        Assert.Contains("etc/motd", top);
        Assert.Contains("etc/pipeline-marker", top);
        Assert.DoesNotContain("var/lib/dpkg/status", top);
    }
}
