using System.IO.Compression;
using Pipeline.Core.Images;

namespace Pipeline.Analysis.Streams;

/// <summary>
/// Opens the decompressed view of a layer. The compression is sniffed from the first bytes rather than
/// trusted from the media type: docker-archive layers are often plain tars under a gzip name, and some
/// registries mislabel zstd layers.
/// </summary>
internal static class Decompression
{
    private static readonly byte[] GzipMagic = [0x1f, 0x8b];
    private static readonly byte[] ZstdMagic = [0x28, 0xb5, 0x2f, 0xfd];

    public static async Task<(Stream Stream, LayerCompression Compression)> OpenAsync(Stream compressed, CancellationToken cancellationToken)
    {
        var head = new byte[4];
        var n = 0;
        while (n < head.Length)
        {
            var r = await compressed.ReadAsync(head.AsMemory(n), cancellationToken);
            if (r == 0)
            {
                break;
            }

            n += r;
        }

        var prefixed = new PrefixedStream(head.AsMemory(0, n), compressed);
        if (n >= 2 && head.AsSpan(0, 2).SequenceEqual(GzipMagic))
        {
            return (new GZipStream(prefixed, CompressionMode.Decompress), LayerCompression.Gzip);
        }

        if (n >= 4 && head.AsSpan(0, 4).SequenceEqual(ZstdMagic))
        {
            return (new ZstdSharp.DecompressionStream(prefixed), LayerCompression.Zstd);
        }

        return (prefixed, LayerCompression.None);
    }

    /// <summary>Replays a few sniffed bytes, then reads on from the inner stream, which it leaves open (its owner checks its digest after the walk).</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (!_prefix.IsEmpty)
            {
                var n = Math.Min(buffer.Length, _prefix.Length);
                _prefix.Span[..n].CopyTo(buffer);
                _prefix = _prefix[n..];
                return n;
            }

            return inner.Read(buffer);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_prefix.IsEmpty)
            {
                return new ValueTask<int>(Read(buffer.Span));
            }

            return inner.ReadAsync(buffer, cancellationToken);
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    }
}
