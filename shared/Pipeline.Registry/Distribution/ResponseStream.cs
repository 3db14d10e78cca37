namespace Pipeline.Registry.Distribution;

/// <summary>An HTTP response body as a plain read-only stream that disposes the response with it.</summary>
internal sealed class ResponseStream(HttpResponseMessage response, Stream body) : ReadOnlyStream
{
    public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();

    public override int Read(Span<byte> buffer) => body.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => body.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            body.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }
}
