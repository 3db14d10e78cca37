using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Pipeline.Functions.Messages;

namespace Pipeline.Functions.Storage;

/// <summary>The blob containers of the pipeline. Each stage owns one; names match DESIGN.md's storage layout.</summary>
public static class Containers
{
    /// <summary><c>{cacheKey}.json</c>: one layer's analysis.</summary>
    public const string Layers = "layers";

    /// <summary><c>{scanId}/expected.json</c>, <c>{scanId}/done/{index}</c>, <c>{scanId}/aggregate.lock</c>, <c>rematch/{version}/{image}.json</c>.</summary>
    public const string Scans = "scans";

    /// <summary><c>{registry}/{repository}/{digest}/report.json|report.sarif|sbom.cdx.json|inventory.json</c> and <c>…/tags/{tag}.json</c>.</summary>
    public const string Reports = "reports";

    /// <summary><c>latest.json</c> and <c>{version}/pipeline.db</c> (the design's <c>db/</c>; container names need 3+ characters).</summary>
    public const string Database = "vulndb";

    /// <summary>Append blobs, one JSON line per ingress request.</summary>
    public const string Audit = "audit";

    /// <summary>Push dedupe markers.</summary>
    public const string Dedupe = "dedupe";

    /// <summary>Webhook deliveries that failed every attempt.</summary>
    public const string DeadLetters = "deadletters";

    /// <summary>Webhook endpoint state (endpoints disabled by 410 Gone) and acknowledged deliveries.</summary>
    public const string Webhooks = "webhooks";

    /// <summary>IaC uploads; a blob landing here starts an IaC scan.</summary>
    public const string IacUploads = "iac-uploads";

    public static IReadOnlyList<string> All { get; } = [Layers, Scans, Reports, Database, Audit, Dedupe, DeadLetters, Webhooks, IacUploads];
}

/// <summary>
/// The storage account: blob and queue clients built from one connection string (<c>AzureWebJobsStorage</c>,
/// as the Functions host names it). Queue clients encode messages in base64, as the Functions host expects.
/// </summary>
public sealed class PipelineStorage
{
    private readonly QueueServiceClient _queues;

    public PipelineStorage(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        Blobs = new BlobServiceClient(connectionString);
        _queues = new QueueServiceClient(connectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        RawQueues = new QueueServiceClient(connectionString);
    }

    /// <summary>Identity-based access (no shared key), as the Functions host's <c>AzureWebJobsStorage__*</c> settings describe it.</summary>
    public PipelineStorage(Uri blobEndpoint, Uri queueEndpoint, TokenCredential credential)
    {
        Blobs = new BlobServiceClient(blobEndpoint, credential);
        _queues = new QueueServiceClient(queueEndpoint, credential, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        RawQueues = new QueueServiceClient(queueEndpoint, credential);
    }

    /// <summary>
    /// From configuration, the way the Functions host reads <c>AzureWebJobsStorage</c>: a connection string, or
    /// identity-based settings <c>AzureWebJobsStorage__accountName</c> (or <c>__blobServiceUri</c> and
    /// <c>__queueServiceUri</c>) with <c>__credential=managedidentity</c> and <c>__clientId</c> for a user-assigned identity.
    /// </summary>
    public static PipelineStorage FromConfiguration(IConfiguration configuration)
    {
        if (configuration["AzureWebJobsStorage"] is { Length: > 0 } connectionString)
        {
            return new PipelineStorage(connectionString);
        }

        var section = configuration.GetSection("AzureWebJobsStorage");
        var account = section["accountName"];
        var blob = section["blobServiceUri"] is { Length: > 0 } b ? new Uri(b) : account is { Length: > 0 } ? new Uri($"https://{account}.blob.core.windows.net") : null;
        var queue = section["queueServiceUri"] is { Length: > 0 } q ? new Uri(q) : account is { Length: > 0 } ? new Uri($"https://{account}.queue.core.windows.net") : null;
        if (blob is null || queue is null)
        {
            throw new InvalidOperationException("Storage is not configured: set AzureWebJobsStorage (connection string) or AzureWebJobsStorage__accountName (identity-based).");
        }

        TokenCredential credential = string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(section["clientId"] is { Length: > 0 } id ? ManagedIdentityId.FromUserAssignedClientId(id) : ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential();
        return new PipelineStorage(blob, queue, credential);
    }

    public BlobServiceClient Blobs { get; }

    /// <summary>Wakes this process's listeners when it writes to their queues.</summary>
    internal Queues.QueueWatcher Watcher { get; } = new();

    /// <summary>Queue clients without base64 encoding, to read messages whose encoding may be wrong.</summary>
    internal QueueServiceClient RawQueues { get; }

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);

    /// <summary>A queue client that base64-encodes messages.</summary>
    public QueueClient Queue(string name) => _queues.GetQueueClient(name);

    /// <summary>Creates every container and queue (with its poison queue) that is missing.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var c in Containers.All)
        {
            await Container(c).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        foreach (var q in QueueNames.All)
        {
            await Queue(q).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await Queue(QueueNames.Poison(q)).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
    }

    /// <summary>Enqueues messages a handler returned.</summary>
    public async Task SendAsync(IEnumerable<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        foreach (var m in messages)
        {
            await Queue(m.Queue).SendMessageAsync(m.Body, cancellationToken);
            Watcher.Notify(m.Queue);
        }
    }
}
