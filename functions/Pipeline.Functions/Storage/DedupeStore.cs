using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;

namespace Pipeline.Functions.Storage;

/// <summary>
/// Makes repeated pushes of one digest within a window start one scan. A marker blob
/// <c>dedupe/{hash}</c> is created with <c>If-None-Match: *</c>; when it exists, its timestamp decides, and
/// an expired marker is replaced with <c>If-Match</c> on its ETag so two racing instances cannot both win.
/// </summary>
internal sealed class DedupeStore
{
    private readonly PipelineStorage _storage;
    private readonly TimeProvider _time;

    public DedupeStore(PipelineStorage storage, TimeProvider time)
    {
        _storage = storage;
        _time = time;
    }

    /// <summary>True when this call claimed the push (scan it); false when a scan of it started within the window.</summary>
    public async Task<bool> TryClaimAsync(string tenant, string registry, string repository, string digest, TimeSpan window, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenant}\n{registry}\n{repository}\n{digest}")));
        var blob = _storage.Container(Containers.Dedupe).GetBlobClient(key);
        var now = _time.GetUtcNow();
        var content = BinaryData.FromString(now.ToString("O", CultureInfo.InvariantCulture));
        try
        {
            await blob.UploadAsync(content, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }

        var existing = await blob.DownloadContentAsync(cancellationToken);
        if (DateTimeOffset.TryParse(existing.Value.Content.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var claimedAt) && now - claimedAt < window)
        {
            return false;
        }

        try
        {
            await blob.UploadAsync(content, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = existing.Value.Details.ETag } }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 409)
        {
            return false;
        }
    }
}
