namespace Pipeline.Analysis.Streams;

/// <summary>
/// Counts bytes read and throws <see cref="LayerLimitExceededException"/> past a limit: the guard against
/// decompression bombs, applied to the decompressed side of a layer.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit, string what) : ReadOnlyPassThroughStream(inner, leaveOpen: false)
{
    protected override void OnRead(ReadOnlySpan<byte> data)
    {
        if (BytesRead > limit)
        {
            throw new LayerLimitExceededException($"{what} exceeds the limit of {limit:N0} bytes.");
        }
    }
}
