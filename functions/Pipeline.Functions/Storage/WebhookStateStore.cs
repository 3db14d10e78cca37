using System.Text.Json;
using Azure;
using Pipeline.Core;

namespace Pipeline.Functions.Storage;

/// <summary>
/// Webhook endpoint state and dead letters: <c>webhooks/{tenant}/{endpointId}.json</c> records an endpoint
/// disabled by 410 Gone; <c>deadletters/{tenant}/{yyyy-MM-dd}/{webhookId}.json</c> keeps a delivery that
/// failed every attempt, with its error and payload, for replay.
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

    public async Task DeadLetterAsync(string tenant, string endpointId, string host, string webhookId, string scanId, string? body, string error, int attempts, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var blob = _storage.Container(Containers.DeadLetters).GetBlobClient($"{tenant}/{now:yyyy-MM-dd}/{webhookId}.json");
        var letter = new { tenant, endpoint = endpointId, host, webhookId, scanId, error, attempts, at = now, payload = body };
        await blob.UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(letter, PipelineJson.Options)), overwrite: true, cancellationToken);
    }
}
