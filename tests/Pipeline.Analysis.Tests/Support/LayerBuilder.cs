using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Core.Images;

namespace Pipeline.Analysis.Tests.Support;

/// <summary>Builds real tar layers in memory (gzip, zstd or none) with their true digests.</summary>
internal sealed class LayerBuilder
{
    private readonly List<Action<TarWriter>> _entries = [];

    public LayerBuilder File(string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100) =>
        Add(w =>
        {
            var e = new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = mode, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
            w.WriteEntry(e);
        });

    public LayerBuilder Dir(string name) => Add(w => w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 }));

    public LayerBuilder Symlink(string name, string target) => Add(w => w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target }));

    public LayerBuilder Whiteout(string path)
    {
        var slash = path.LastIndexOf('/');
        var name = slash < 0 ? ".wh." + path : path[..(slash + 1)] + ".wh." + path[(slash + 1)..];
        return File(name, string.Empty);
    }

    public LayerBuilder Opaque(string dir) => File(dir.TrimEnd('/') + "/.wh..wh..opq", string.Empty);

    private LayerBuilder Add(Action<TarWriter> a)
    {
        _entries.Add(a);
        return this;
    }

    public byte[] Tar()
    {
        using var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var e in _entries)
            {
                e(w);
            }
        }

        return ms.ToArray();
    }

    public (byte[] Blob, LayerDescriptor Descriptor) Build(LayerCompression compression = LayerCompression.Gzip)
    {
        var tar = Tar();
        var blob = compression switch
        {
            LayerCompression.Gzip => Gzip(tar),
            LayerCompression.Zstd => new ZstdSharp.Compressor().Wrap(tar).ToArray(),
            _ => tar,
        };
        var mediaType = compression switch
        {
            LayerCompression.Gzip => MediaTypes.OciLayerGzip,
            LayerCompression.Zstd => MediaTypes.OciLayerZstd,
            _ => MediaTypes.OciLayer,
        };
        return (blob, new LayerDescriptor { Digest = Sha256(blob), DiffId = Sha256(tar), MediaType = mediaType, Size = blob.Length });
    }

    public static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }

        return ms.ToArray();
    }

    public static string Sha256(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));
}
