using Pipeline.Analysis.Walking;
using Pipeline.Core.Analysis;
using Pipeline.Core.Images;

namespace Pipeline.Functions.Engine;

/// <summary>Analyzes one layer: the cache key it would be stored under, and the facts found in it.</summary>
public interface ILayerAnalyzer
{
    /// <summary>The cache key of a layer with this diffID under the analyzers that would run.</summary>
    string CacheKey(string diffId);

    /// <summary>Pulls the layer from <paramref name="source"/>, verifies and walks it.</summary>
    Task<LayerAnalysis> AnalyzeAsync(IImageSource source, LayerDescriptor layer, CancellationToken cancellationToken = default);
}

/// <summary>The image engine's <see cref="LayerScanner"/> (digest-verified streaming walk) over the blob the source opens.</summary>
internal sealed class EngineLayerAnalyzer : ILayerAnalyzer
{
    private readonly LayerScanner _scanner;

    public EngineLayerAnalyzer(LayerScanner scanner)
    {
        _scanner = scanner;
    }

    public string CacheKey(string diffId) => _scanner.CacheKey(diffId);

    public async Task<LayerAnalysis> AnalyzeAsync(IImageSource source, LayerDescriptor layer, CancellationToken cancellationToken = default)
    {
        await using var blob = await source.OpenBlobAsync(layer.Digest, cancellationToken);
        return await _scanner.AnalyzeAsync(blob, layer, cancellationToken);
    }
}
