using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Pipeline.Core;

namespace Pipeline.Functions.Storage;

/// <summary>JSON blobs in Core's JSON shape, with the two conditional writes the pipeline relies on.</summary>
internal static class BlobJson
{
    public static Task UploadAsync<T>(BlobClient blob, T value, CancellationToken cancellationToken) =>
        blob.UploadAsync(BinaryData.FromObjectAsJson(value, PipelineJson.Options), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken);

    /// <summary>Creates the blob only if it does not exist (<c>If-None-Match: *</c>); false when it already did.</summary>
    public static async Task<bool> TryCreateAsync(BlobClient blob, BinaryData content, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(content, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>The blob's JSON, or null when the blob does not exist.</summary>
    public static async Task<T?> ReadAsync<T>(BlobClient blob, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<T>(PipelineJson.Options);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
