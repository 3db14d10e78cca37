namespace Pipeline.Analysis.Streams;

/// <summary>
/// A forward-only read stream over another that sees every chunk read (to hash it, count it, bound it).
/// Subclasses implement <see cref="OnRead"/>; everything else a Stream must say is said once, here.
/// </summary>
internal abstract class ReadOnlyPassThroughStream(Stream inner, bool leaveOpen) : Stream
{
    /// <summary>Bytes read through this stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Called with every chunk, after <see cref="BytesRead"/> includes it.</summary>
    protected abstract void OnRead(ReadOnlySpan<byte> data);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Seen(buffer[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        Seen(buffer.Span[..n]);
        return n;
    }

    private void Seen(ReadOnlySpan<byte> data)
    {
        BytesRead += data.Length;
        OnRead(data);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
