using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Pipeline.Core.Images;
using Pipeline.TestKit;
using Pipeline.TestKit.Images;

namespace Pipeline.Registry.Tests;

/// <summary>Small real images built with umoci for the source and registry tests, and a verifying layer reader.</summary>
internal static class TestImages
{
    private static readonly Lazy<OciImageBuilder> SmallImage = new(() => BuildSmall(Path.Combine(TestPaths.NewTempDir("small-image"), "layout"), "1.0"));

    /// <summary>A two-layer image shared by the tests of one run (read-only: copy the layout to change it).</summary>
    public static OciImageBuilder Small => SmallImage.Value;

    /// <summary>
    /// Layer 1: etc/os-release, etc/removed.conf, usr/bin/tool. Layer 2 changes usr/bin/tool, deletes
    /// etc/removed.conf (a whiteout) and adds opt/new.txt. Config: user 1000, env A=b.
    /// </summary>
    public static OciImageBuilder BuildSmall(string layoutDir, string tag, string? architecture = null)
    {
        var rootfs = TestPaths.NewTempDir("small-rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        Directory.CreateDirectory(Path.Combine(rootfs, "usr", "bin"));
        File.WriteAllText(Path.Combine(rootfs, "etc", "os-release"), "ID=debian\nVERSION_ID=\"12\"\n");
        File.WriteAllText(Path.Combine(rootfs, "etc", "removed.conf"), "goes away in layer 2\n");
        File.WriteAllText(Path.Combine(rootfs, "usr", "bin", "tool"), "#!/bin/sh\necho v1\n");
        var image = OciImageBuilder.Create(layoutDir, tag)
            .AddLayer(rootfs)
            .AddLayer(root =>
            {
                File.WriteAllText(Path.Combine(root, "usr", "bin", "tool"), "#!/bin/sh\necho v2\n");
                File.Delete(Path.Combine(root, "etc", "removed.conf"));
                Directory.CreateDirectory(Path.Combine(root, "opt"));
                File.WriteAllText(Path.Combine(root, "opt", "new.txt"), "new\n");
            })
            .Config(user: "1000", env: ["A=b"], architecture: architecture);
        return image;
    }

    /// <summary>Two small images, linux/amd64 and linux/arm64, and an OCI layout tagged "multi" indexing both.</summary>
    public static (OciImageBuilder Amd64, OciImageBuilder Arm64, string IndexLayout) BuildMultiPlatform()
    {
        var dir = TestPaths.NewTempDir("multi");
        var amd = BuildSmall(Path.Combine(dir, "amd64"), "1.0", "amd64");
        var arm = BuildSmall(Path.Combine(dir, "arm64"), "1.0", "arm64");
        return (amd, arm, OciImageBuilder.CreateIndex(Path.Combine(dir, "index"), "multi", amd, arm));
    }

    /// <summary>Copies a layout so a test may tamper with it.</summary>
    public static string CopyLayout(string layoutDir)
    {
        var copy = Path.Combine(TestPaths.NewTempDir("layout-copy"), "layout");
        Tool.Run("cp", ["-a", layoutDir, copy]);
        return copy;
    }

    /// <summary>
    /// Streams a layer from the source as the scanner will: the compressed digest and the diffID are computed
    /// while reading and must match the descriptor; returns the tar entry names.
    /// </summary>
    public static async Task<List<string>> ReadLayerAsync(IImageSource source, LayerDescriptor layer)
    {
        await using var blob = await source.OpenBlobAsync(layer.Digest);
        using var compressedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var diffHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var hashed = new HashingStream(blob, compressedHash);
        Stream tar = layer.Compression switch
        {
            LayerCompression.Gzip => new GZipStream(hashed, CompressionMode.Decompress),
            LayerCompression.None => hashed,
            _ => throw new InvalidOperationException("unexpected compression " + layer.MediaType),
        };
        var uncompressed = new HashingStream(tar, diffHash);
        var names = new List<string>();
        using (var reader = new TarReader(uncompressed, leaveOpen: true))
        {
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                names.Add(entry.Name.TrimStart('.', '/'));
            }
        }

        await uncompressed.CopyToAsync(Stream.Null);
        await hashed.CopyToAsync(Stream.Null);
        Assert.Equal(layer.Digest, "sha256:" + Convert.ToHexStringLower(compressedHash.GetHashAndReset()));
        Assert.Equal(layer.DiffId, "sha256:" + Convert.ToHexStringLower(diffHash.GetHashAndReset()));
        return names;
    }

    /// <summary>Checks what every source must report for <see cref="Small"/>.</summary>
    public static async Task AssertSmallImageAsync(IImageSource source, ResolvedImage image)
    {
        Assert.Equal(new Platform("linux", "amd64"), image.Platform);
        Assert.Equal("1000", image.Config.Config?.User);
        Assert.Contains("A=b", image.Config.Config?.Env ?? []);
        Assert.Equal(2, image.Layers.Count);
        Assert.Equal(image.Config.RootFs!.DiffIds, image.Layers.Select(l => l.DiffId));
        var first = await ReadLayerAsync(source, image.Layers[0]);
        Assert.Contains("etc/removed.conf", first);
        Assert.Contains("usr/bin/tool", first);
        var second = await ReadLayerAsync(source, image.Layers[1]);
        Assert.Contains("etc/.wh.removed.conf", second);
        Assert.Contains("usr/bin/tool", second);
        Assert.Contains("opt/new.txt", second);
        Assert.DoesNotContain("etc/os-release", second);
    }

    private sealed class HashingStream(Stream inner, IncrementalHash hash) : ReadOnlyStream
    {
        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            hash.AppendData(buffer[..n]);
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            hash.AppendData(buffer.Span[..n]);
            return n;
        }
    }
}
