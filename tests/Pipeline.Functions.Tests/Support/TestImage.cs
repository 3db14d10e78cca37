using System.Security.Cryptography;
using Pipeline.Core.Images;
using Pipeline.Functions.Engine;
using Pipeline.Functions.Messages;
using Pipeline.TestKit;

namespace Pipeline.Functions.Tests.Support;

/// <summary>A real gzip-compressed tar layer built with tar and gzip from files on disk.</summary>
internal sealed record TestLayer(LayerDescriptor Descriptor, byte[] Blob)
{
    public static TestLayer Build(IReadOnlyDictionary<string, string> files)
    {
        var dir = TestPaths.NewTempDir("layer");
        var root = Directory.CreateDirectory(Path.Combine(dir, "root")).FullName;
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        Tool.Sh($"tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C '{root}' -cf '{dir}/layer.tar' . && gzip -n -c '{dir}/layer.tar' > '{dir}/layer.tar.gz'");
        var tar = File.ReadAllBytes(Path.Combine(dir, "layer.tar"));
        var gz = File.ReadAllBytes(Path.Combine(dir, "layer.tar.gz"));
        Directory.Delete(dir, recursive: true);
        return new TestLayer(
            new LayerDescriptor { Digest = Sha(gz), DiffId = Sha(tar), MediaType = MediaTypes.OciLayerGzip, Size = gz.Length },
            gz);
    }

    public static string Sha(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}

/// <summary>
/// Images held in memory, standing in for the registry client (a hand-written double: the layers are real
/// tar.gz blobs that the engine's LayerScanner verifies and walks). Opening an image by a pushed digest
/// resolves every platform added under it, as a registry resolves an index.
/// </summary>
internal sealed class TestRegistry : IImageSourceProvider
{
    private readonly Dictionary<string, ResolvedImage[]> _images = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);
    private int _blobOpens;

    /// <summary>How many layer blobs were pulled.</summary>
    public int BlobOpens => Volatile.Read(ref _blobOpens);

    /// <summary>Adds an image of these layers (one manifest per platform, under an index when several); returns the pushed digest.</summary>
    public string Add(string registry, string repository, IReadOnlyList<TestLayer> layers, params string[] platforms)
    {
        var pushed = TestLayer.Sha(RandomNumberGenerator.GetBytes(32));
        var resolved = (platforms.Length == 0 ? ["linux/amd64"] : platforms).Select(p => new ResolvedImage
        {
            Registry = registry,
            Repository = repository,
            ManifestDigest = platforms.Length <= 1 ? pushed : TestLayer.Sha(RandomNumberGenerator.GetBytes(32)),
            IndexDigest = platforms.Length <= 1 ? null : pushed,
            Platform = Platform.Parse(p),
            ConfigDigest = TestLayer.Sha(RandomNumberGenerator.GetBytes(32)),
            Config = new ImageConfig { Os = "linux", Architecture = Platform.Parse(p).Architecture, RootFs = new RootFs { Type = "layers", DiffIds = [.. layers.Select(l => l.Descriptor.DiffId)] } },
            Layers = [.. layers.Select(l => l.Descriptor)],
        }).ToArray();
        lock (_images)
        {
            _images[pushed] = resolved;
            foreach (var l in layers)
            {
                _blobs[l.Descriptor.Digest] = l.Blob;
            }
        }

        return pushed;
    }

    public IImageSource Open(ImageCoordinates image) => new Source(this, image.Digest);

    private sealed class Source(TestRegistry owner, string digest) : IImageSource
    {
        public string Name => digest;

        public Task<IReadOnlyList<ResolvedImage>> ResolveAsync(Platform? platform = null, CancellationToken cancellationToken = default)
        {
            lock (owner._images)
            {
                return Task.FromResult<IReadOnlyList<ResolvedImage>>(owner._images.TryGetValue(digest, out var images)
                    ? images
                    : [.. owner._images.Values.SelectMany(i => i).Where(i => i.ManifestDigest == digest)]);
            }
        }

        public Task<Stream> OpenBlobAsync(string blobDigest, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner._blobOpens);
            lock (owner._images)
            {
                return Task.FromResult<Stream>(new MemoryStream(owner._blobs[blobDigest], writable: false));
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
