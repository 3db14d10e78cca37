using System.Security.Cryptography;
using Pipeline.Core.Images;

namespace Pipeline.Analysis.Streams;

/// <summary>
/// A read-only pass-through stream that hashes every byte read, so a layer's digest is verified while it
/// streams, without holding it in memory or on disk.
/// </summary>
internal sealed class HashingReadStream : ReadOnlyPassThroughStream
{
    private readonly IncrementalHash _hash;
    private readonly string _algorithm;

    public HashingReadStream(Stream inner, string digest, bool leaveOpen = false)
        : base(inner, leaveOpen)
    {
        (_algorithm, _) = ContentDigest.Split(digest);
        _hash = IncrementalHash.CreateHash(_algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
    }

    /// <summary>The digest of everything read so far, as <c>algorithm:hex</c>.</summary>
    public string CurrentDigest() => _algorithm + ":" + Convert.ToHexStringLower(_hash.GetCurrentHash());

    /// <summary>Reads the rest of the stream so the digest covers all of it.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (await ReadAsync(buffer, cancellationToken) > 0)
        {
        }
    }

    protected override void OnRead(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
