using Pipeline.Analysis.Streams;
using Pipeline.Core.Analysis;
using Pipeline.Core.Images;

namespace Pipeline.Analysis.Walking;

/// <summary>
/// Analyzes one layer blob: verifies its compressed digest and its diffID while streaming, decompresses
/// (gzip, zstd or none), walks the tar once and returns the facts. The same instance is safe to use from
/// several threads at once.
/// </summary>
public sealed class LayerScanner
{
    private readonly IReadOnlyList<IAnalyzer> _analyzers;

    public LayerScanner(IReadOnlyList<IAnalyzer> analyzers, LayerLimits? limits = null)
    {
        _analyzers = analyzers;
        Limits = limits ?? LayerLimits.Default;
    }

    public LayerLimits Limits { get; }

    public IReadOnlyList<IAnalyzer> Analyzers => _analyzers;

    /// <summary>The layer's cache key under these analyzers and limits.</summary>
    public string CacheKey(string diffId) => LayerCacheKey.Compute(diffId, _analyzers, Limits.Fingerprint);

    /// <summary>
    /// Reads <paramref name="blob"/> to its end. Throws <see cref="LayerDigestMismatchException"/> when the bytes
    /// do not match the descriptor's digest or diffID, <see cref="LayerLimitExceededException"/> past a bound,
    /// <see cref="CorruptLayerException"/> for a broken tar or compression.
    /// </summary>
    public async Task<LayerAnalysis> AnalyzeAsync(Stream blob, LayerDescriptor layer, CancellationToken cancellationToken = default)
    {
        ContentDigest.Split(layer.Digest, "layer");
        ContentDigest.Split(layer.DiffId, "diffID");
        var facts = new LayerAnalysis { Digest = layer.Digest, DiffId = layer.DiffId };
        foreach (var a in _analyzers)
        {
            facts.Analyzers[a.Type] = a.Version;
        }

        await using var compressed = new HashingReadStream(blob, layer.Digest, leaveOpen: true);
        Stream? decompressed = null;
        try
        {
            (decompressed, _) = await Decompression.OpenAsync(compressed, cancellationToken);
            await using var bounded = new BoundedReadStream(decompressed, Limits.MaxDecompressedBytes, $"Layer {layer.Digest} decompressed");
            await using var uncompressed = new HashingReadStream(bounded, layer.DiffId);
            await new LayerWalker(_analyzers, Limits).WalkAsync(uncompressed, facts, cancellationToken);

            // Tar readers stop at the end-of-archive marker; the digests cover every byte, so read the rest.
            await uncompressed.DrainAsync(cancellationToken);
            await compressed.DrainAsync(cancellationToken);
            CheckCompressedDigest(compressed, layer, null);
            var diffId = uncompressed.CurrentDigest();
            if (diffId != layer.DiffId)
            {
                throw new LayerDigestMismatchException($"Layer {layer.Digest}: uncompressed content hashes to {diffId}, but the config's diffID is {layer.DiffId}.");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not LayerLimitExceededException and not LayerDigestMismatchException)
        {
            // A tampered or truncated blob usually surfaces as a decompression or tar error first. The digest
            // is the real cause whenever the bytes differ from what the manifest promised, so check it first.
            await TryDrainAsync(compressed, cancellationToken);
            CheckCompressedDigest(compressed, layer, e);
            throw e as LayerException ?? new CorruptLayerException($"Layer {layer.Digest} could not be decompressed or read: {e.Message}", e);
        }
        finally
        {
            decompressed?.Dispose();
        }

        CheckCompressedDigest(compressed, layer, null);
        return facts;
    }

    private static async Task TryDrainAsync(HashingReadStream compressed, CancellationToken cancellationToken)
    {
        try
        {
            await compressed.DrainAsync(cancellationToken);
        }
        catch (IOException)
        {
            // The source itself failed; the digest comparison below reports what was read.
        }
    }

    private static void CheckCompressedDigest(HashingReadStream compressed, LayerDescriptor layer, Exception? cause)
    {
        var actual = compressed.CurrentDigest();
        if (actual == layer.Digest)
        {
            return;
        }

        var message = $"Layer {layer.Digest}: the blob's bytes hash to {actual} ({compressed.BytesRead:N0} bytes read), not to the manifest's digest.";
        throw cause is null ? new LayerDigestMismatchException(message) : new LayerDigestMismatchException(message + " " + cause.Message);
    }
}
