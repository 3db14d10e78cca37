using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs.Models;
using Pipeline.Core;
using Pipeline.Functions.Messages;

namespace Pipeline.Functions.Storage;

/// <summary>What a scan expects: its image and its layers in order, written once by the orchestrator.</summary>
public sealed record ScanPlan
{
    public required string ScanId { get; init; }

    public required ImageCoordinates Image { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The layers in image order; <see cref="PlannedLayer.Index"/> names the completion marker.</summary>
    public required IReadOnlyList<PlannedLayer> Layers { get; init; }

    /// <summary>The platform image (config and layers) as the engine resolved it, for the aggregator.</summary>
    public Pipeline.Core.Images.ResolvedImage? Resolved { get; init; }
}

/// <summary>One layer of a scan plan.</summary>
public sealed record PlannedLayer
{
    public int Index { get; init; }

    public required string Digest { get; init; }

    public required string DiffId { get; init; }

    public required string MediaType { get; init; }

    public long Size { get; init; }

    public required string CacheKey { get; init; }

    /// <summary>True when the analysis was already cached at planning time (no layer message was sent).</summary>
    public bool Cached { get; init; }

    /// <summary>Foreign layers are never pulled; they are reported as skipped.</summary>
    public bool Foreign { get; init; }
}

/// <summary>
/// Scan state in blob storage: <c>scans/{scanId}/expected.json</c>, one completion marker per layer at
/// <c>scans/{scanId}/done/{index}</c>, and <c>scans/{scanId}/aggregate.lock</c>. This is the fan-in without a
/// coordinator: each worker marks its layer, counts the markers, and when all are there tries to create the
/// lock with <c>If-None-Match: *</c>. Exactly one creation succeeds, so exactly one message enqueues aggregation,
/// however many finish at once; a redelivery of that message enqueues it again, in case its first attempt died first. Re-matches keep their outcomes under
/// <c>scans/rematch/{version}/</c>.
/// </summary>
internal sealed class ScanStateStore
{
    private readonly PipelineStorage _storage;
    private readonly TimeProvider _time;

    public ScanStateStore(PipelineStorage storage, TimeProvider time)
    {
        _storage = storage;
        _time = time;
    }

    public Task SavePlanAsync(ScanPlan plan, CancellationToken cancellationToken) =>
        BlobJson.UploadAsync(Container.GetBlobClient($"{plan.ScanId}/expected.json"), plan, cancellationToken);

    public Task<ScanPlan?> GetPlanAsync(string scanId, CancellationToken cancellationToken) =>
        BlobJson.ReadAsync<ScanPlan>(Container.GetBlobClient($"{scanId}/expected.json"), cancellationToken);

    /// <summary>Marks one layer done (idempotent: a second write of a marker changes nothing that matters).</summary>
    public async Task MarkDoneAsync(string scanId, int index, CancellationToken cancellationToken)
    {
        var stamp = BinaryData.FromString(_time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        await BlobJson.TryCreateAsync(Container.GetBlobClient($"{scanId}/done/{index}"), stamp, cancellationToken);
    }

    /// <summary>Records why a layer could not be analyzed; the aggregator reports it as failed.</summary>
    public Task MarkFailedAsync(string scanId, int index, string reason, CancellationToken cancellationToken) =>
        Container.GetBlobClient($"{scanId}/failed/{index}").UploadAsync(BinaryData.FromString(reason), overwrite: true, cancellationToken);

    /// <summary>The failure reason of a layer, or null when it did not fail.</summary>
    public async Task<string?> FailureAsync(string scanId, int index, CancellationToken cancellationToken)
    {
        try
        {
            return (await Container.GetBlobClient($"{scanId}/failed/{index}").DownloadContentAsync(cancellationToken)).Value.Content.ToString();
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Indexes of layers marked done.</summary>
    public async Task<IReadOnlySet<int>> DoneAsync(string scanId, CancellationToken cancellationToken)
    {
        var done = new HashSet<int>();
        var prefix = $"{scanId}/done/";
        await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            if (int.TryParse(item.Name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i))
            {
                done.Add(i);
            }
        }

        return done;
    }

    /// <summary>
    /// True for exactly one message per scan: the one whose conditional create of the lock succeeded, and that same
    /// message again when it is redelivered. <paramref name="owner"/> is the queue message id, which stays the same
    /// across deliveries: an attempt killed between taking the lock and sending the aggregate request leaves the
    /// lock behind, and without this its redelivery would find the lock taken and the scan would never finish.
    /// </summary>
    public async Task<bool> TryAcquireAggregationAsync(string scanId, string owner, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient($"{scanId}/aggregate.lock");
        if (await BlobJson.TryCreateAsync(blob, BinaryData.FromString(owner), cancellationToken))
        {
            return true;
        }

        var holder = (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToString();
        return string.Equals(holder, owner, StringComparison.Ordinal);
    }

    /// <summary>Where the outcome of re-matching one inventory against one database version is kept.</summary>
    public static string RematchBlob(string version, string inventoryBlob) =>
        $"rematch/{version}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inventoryBlob)))[..32]}.json";

    public Task<RematchOutcome?> GetRematchAsync(string blobName, CancellationToken cancellationToken) =>
        BlobJson.ReadAsync<RematchOutcome>(Container.GetBlobClient(blobName), cancellationToken);

    /// <summary>Records an outcome unless one exists; false when another attempt recorded it first.</summary>
    public Task<bool> TryRecordRematchAsync(string blobName, RematchOutcome outcome, CancellationToken cancellationToken) =>
        BlobJson.TryCreateAsync(Container.GetBlobClient(blobName), BinaryData.FromObjectAsJson(outcome, PipelineJson.Options), cancellationToken);

    private Azure.Storage.Blobs.BlobContainerClient Container => _storage.Container(Containers.Scans);
}
