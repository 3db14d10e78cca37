using System.Text.Json;
using Azure;
using Pipeline.Core;

namespace Pipeline.Functions.Storage;

/// <summary>
/// Webhook endpoint state and dead letters: <c>webhooks/{tenant}/{endpointId}.json</c> records an endpoint
/// disabled by 410 Gone; <c>webhooks/{tenant}/delivered/{webhookId}</c> records an acknowledged delivery;
/// <c>deadletters/{tenant}/{yyyy-MM-dd}/{webhookId}.json</c> keeps a delivery that failed every attempt, with its
/// error and payload, for replay.
/// </summary>
internal sealed class WebhookStateStore
{
    private readonly PipelineStorage _storage;
    private readonly TimeProvider _time;

    public WebhookStateStore(PipelineStorage storage, TimeProvider time)
    {
        _storage = storage;
        _time = time;
    }

    public async Task<bool> IsDisabledAsync(string tenant, string endpointId, CancellationToken cancellationToken)
    {
        try
        {
            return (await _storage.Container(Containers.Webhooks).GetBlobClient($"{tenant}/{endpointId}.json").ExistsAsync(cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public Task DisableAsync(string tenant, string endpointId, string host, string reason, CancellationToken cancellationToken) =>
        BlobJson.UploadAsync(
            _storage.Container(Containers.Webhooks).GetBlobClient($"{tenant}/{endpointId}.json"),
            new { endpoint = endpointId, host, disabled = true, reason, at = _time.GetUtcNow() },
            cancellationToken);

    /// <summary>Whether an endpoint already acknowledged <paramref name="webhookId"/> (one per announcement and endpoint).</summary>
    public async Task<bool> WasDeliveredAsync(string tenant, string webhookId, CancellationToken cancellationToken) =>
        (await DeliveredBlob(tenant, webhookId).ExistsAsync(cancellationToken)).Value;

    /// <summary>Records that an endpoint acknowledged <paramref name="webhookId"/>, so a repeated notification does not send it again.</summary>
    public Task MarkDeliveredAsync(string tenant, string webhookId, CancellationToken cancellationToken) =>
        BlobJson.TryCreateAsync(DeliveredBlob(tenant, webhookId), BinaryData.FromString(_time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture)), cancellationToken);

    public async Task DeadLetterAsync(string tenant, string endpointId, string host, string webhookId, string scanId, string? body, string error, int attempts, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var blob = _storage.Container(Containers.DeadLetters).GetBlobClient($"{tenant}/{now:yyyy-MM-dd}/{webhookId}.json");
        var letter = new { tenant, endpoint = endpointId, host, webhookId, scanId, error, attempts, at = now, payload = body };
        await blob.UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(letter, PipelineJson.Options)), overwrite: true, cancellationToken);
    }

    private Azure.Storage.Blobs.BlobClient DeliveredBlob(string tenant, string webhookId) =>
        _storage.Container(Containers.Webhooks).GetBlobClient($"{tenant}/delivered/{webhookId}");
}
