namespace Pipeline.Core.Analysis;

/// <summary>
/// Per-layer analysis results by cache key (<see cref="LayerCacheKey"/>). Implementations: a directory for
/// the CLI, blob storage for the pipeline. Concurrent writers of one key write equal content, so last
/// writer wins is safe.
/// </summary>
public interface ILayerCache
{
    /// <summary>The cached analysis, or null when absent or unreadable (an unreadable entry counts as a miss).</summary>
    Task<LayerAnalysis?> GetAsync(string cacheKey, CancellationToken cancellationToken = default);

    Task PutAsync(string cacheKey, LayerAnalysis analysis, CancellationToken cancellationToken = default);
}
