using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Analysis;

namespace Pipeline.Functions.Storage;

/// <summary>
/// Core's layer cache in blob storage: <c>layers/{cacheKey}.json</c>. Shared by every worker of every tenant of
/// a deployment, so a base layer is analyzed once. Concurrent writers of one key write equal content.
/// </summary>
internal sealed class BlobLayerCache : ILayerCache
{
    private readonly PipelineStorage _storage;
    private readonly ILogger<BlobLayerCache> _logger;

    public BlobLayerCache(PipelineStorage storage, ILogger<BlobLayerCache> logger)
    {
        _storage = storage;
        _logger = logger;
    }

    public static string BlobName(string cacheKey) => cacheKey + ".json";

    public async Task<LayerAnalysis?> GetAsync(string cacheKey, CancellationToken cancellationToken = default)
    {
        try
        {
            var analysis = await BlobJson.ReadAsync<LayerAnalysis>(Blob(cacheKey), cancellationToken);
            return analysis?.SchemaVersion == LayerAnalysis.CurrentSchemaVersion ? analysis : null;
        }
        catch (JsonException e)
        {
            // An unreadable entry counts as a miss: the layer is analyzed again and the entry rewritten.
            _logger.LogWarning(e, "Layer cache entry {CacheKey} is unreadable; treating it as a miss", cacheKey);
            return null;
        }
    }

    public Task PutAsync(string cacheKey, LayerAnalysis analysis, CancellationToken cancellationToken = default) =>
        BlobJson.UploadAsync(Blob(cacheKey), analysis, cancellationToken);

    /// <summary>Whether an entry exists, without downloading it (the orchestrator's lookup).</summary>
    public async Task<bool> ExistsAsync(string cacheKey, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await Blob(cacheKey).ExistsAsync(cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    private Azure.Storage.Blobs.BlobClient Blob(string cacheKey)
    {
        if (cacheKey.Contains('/', StringComparison.Ordinal) || cacheKey.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Cache key '{cacheKey}' is not a plain name.", nameof(cacheKey));
        }

        return _storage.Container(Containers.Layers).GetBlobClient(BlobName(cacheKey));
    }
}
