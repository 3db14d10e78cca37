using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using Pipeline.Core;
using Pipeline.Core.Reports;
using Pipeline.Functions.Engine;

namespace Pipeline.Functions.Storage;

/// <summary>Where a tag points: the pushed digest and the report of every platform scanned for it.</summary>
public sealed record TagIndex
{
    public required string Tag { get; init; }

    /// <summary>The digest the tag was pushed with (an index for multi-platform images).</summary>
    public required string Digest { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Platform (<c>linux/amd64</c>) → report.json blob name.</summary>
    public SortedDictionary<string, string> Reports { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Reports in blob storage: <c>reports/{registry}/{repository}/{digest}/report.json</c> with the other formats and
/// the image's <c>inventory.json</c> next to it, and the tag index <c>reports/{registry}/{repository}/tags/{tag}.json</c>.
/// </summary>
internal sealed class ReportStore
{
    public const string ReportFile = "report.json";

    /// <summary>The merged inventory kept next to each image report (<see cref="ImageInventory"/>).</summary>
    public const string InventoryFile = "inventory.json";

    private readonly PipelineStorage _storage;
    private readonly IEnumerable<IReportWriter> _writers;

    public ReportStore(PipelineStorage storage, IEnumerable<IReportWriter> writers)
    {
        _storage = storage;
        _writers = writers;
    }

    public static string Prefix(string registry, string repository, string digest) => $"{registry}/{repository}/{digest}/";

    public static string TagBlob(string registry, string repository, string tag) => $"{registry}/{repository}/tags/{tag}.json";

    /// <summary>Writes report.json and every registered format; returns the report.json blob name.</summary>
    public async Task<string> WriteAsync(string prefix, ScanReport report, CancellationToken cancellationToken)
    {
        var container = _storage.Container(Containers.Reports);
        var name = prefix + ReportFile;
        await BlobJson.UploadAsync(container.GetBlobClient(name), report, cancellationToken);
        foreach (var writer in _writers)
        {
            using var buffer = new MemoryStream();
            await writer.WriteAsync(report, buffer, cancellationToken);
            buffer.Position = 0;
            await container.GetBlobClient(prefix + writer.FileName).UploadAsync(buffer, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = writer.ContentType } }, cancellationToken);
        }

        return name;
    }

    public async Task<ScanReport> ReadAsync(string blobName, CancellationToken cancellationToken) =>
        await TryReadAsync(blobName, cancellationToken)
        ?? throw new InvalidOperationException($"Report {blobName} does not exist.");

    /// <summary>The report, or null when the blob does not exist.</summary>
    public Task<ScanReport?> TryReadAsync(string blobName, CancellationToken cancellationToken) =>
        BlobJson.ReadAsync<ScanReport>(_storage.Container(Containers.Reports).GetBlobClient(blobName), cancellationToken);

    /// <summary>Writes <c>{prefix}inventory.json</c>; returns its blob name.</summary>
    public async Task<string> WriteInventoryAsync(string prefix, ImageInventory inventory, CancellationToken cancellationToken)
    {
        var name = prefix + InventoryFile;
        await BlobJson.UploadAsync(_storage.Container(Containers.Reports).GetBlobClient(name), inventory, cancellationToken);
        return name;
    }

    /// <summary>A stored inventory; null when the blob does not exist.</summary>
    /// <exception cref="InvalidDataException">The blob is not an inventory this version can judge; the message says why.</exception>
    public async Task<ImageInventory?> ReadInventoryAsync(string blobName, CancellationToken cancellationToken)
    {
        ImageInventory? inventory;
        try
        {
            inventory = await BlobJson.ReadAsync<ImageInventory>(_storage.Container(Containers.Reports).GetBlobClient(blobName), cancellationToken);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{blobName} is not an inventory: {e.Message}", e);
        }

        if (inventory is null)
        {
            return null;
        }

        // The serializer does not enforce non-nullable references: a stored "merged": null would reach the detectors.
        string? problem = inventory switch
        {
            { SchemaVersion: not ImageInventory.CurrentSchemaVersion } => $"schema version {inventory.SchemaVersion}, expected {ImageInventory.CurrentSchemaVersion}",
            { Image: null } or { Resolved: null } or { Merged: null } or { Layers: null } => "image, resolved, merged or layers is null",
            { Merged.Packages: null } or { Merged.Secrets: null } or { Merged.SpecialFiles: null } or { Merged.Errors: null } => "a list of the merged image is null",
            _ when string.IsNullOrEmpty(inventory.Image.Tenant) => "the image names no tenant",
            _ => null,
        };
        return problem is null ? inventory : throw new InvalidDataException($"{blobName} is not an inventory this version can judge: {problem}.");
    }

    /// <summary>
    /// One page of the stored inventories (blob names ending in <c>/inventory.json</c>), listing at most
    /// <paramref name="pageSize"/> blobs of the container, and where the next page starts (null after the last).
    /// </summary>
    public async Task<(IReadOnlyList<string> Inventories, string? Continuation)> ListInventoriesAsync(string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        var pages = _storage.Container(Containers.Reports).GetBlobsAsync(new GetBlobsOptions(), cancellationToken).AsPages(continuation, pageSize);
        await foreach (var page in pages)
        {
            var names = page.Values.Select(b => b.Name).Where(IsInventory).ToList();
            return (names, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return ([], null);
    }

    // {registry}/{repository}/{digest}/inventory.json: the folder is a digest (algorithm:hex), which no tag can be
    // (tags/{tag}.json of a tag named "inventory" must not count).
    private static bool IsInventory(string name)
    {
        if (!name.EndsWith("/" + InventoryFile, StringComparison.Ordinal))
        {
            return false;
        }

        var folder = name[..^(InventoryFile.Length + 1)];
        return folder[(folder.LastIndexOf('/') + 1)..].Contains(':', StringComparison.Ordinal);
    }

    /// <summary>
    /// Adds one platform's report to the tag index. Platforms of one index finish concurrently, so the update
    /// is a read-modify-write guarded by the blob's ETag, retried on conflict.
    /// </summary>
    public async Task UpdateTagIndexAsync(string registry, string repository, string tag, string pushedDigest, string platform, string reportBlob, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var blob = _storage.Container(Containers.Reports).GetBlobClient(TagBlob(registry, repository, tag));
        for (var attempt = 0; ; attempt++)
        {
            TagIndex? index = null;
            ETag? etag = null;
            try
            {
                var existing = await blob.DownloadContentAsync(cancellationToken);
                index = existing.Value.Content.ToObjectFromJson<TagIndex>(PipelineJson.Options);
                etag = existing.Value.Details.ETag;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }

            // A re-push of the tag to another digest starts a fresh index.
            if (index is null || index.Digest != pushedDigest)
            {
                index = new TagIndex { Tag = tag, Digest = pushedDigest };
            }

            index.Reports[platform] = reportBlob;
            index = index with { UpdatedAt = now };
            var conditions = etag is { } e2 ? new BlobRequestConditions { IfMatch = e2 } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                await blob.UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(index, PipelineJson.Options)), new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
            }
        }
    }
}
