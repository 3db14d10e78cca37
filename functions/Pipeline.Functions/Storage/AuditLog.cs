using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Pipeline.Core;

namespace Pipeline.Functions.Storage;

/// <summary>One ingress request as the audit log records it. Never holds a secret or a token.</summary>
public sealed record AuditRecord
{
    public DateTimeOffset Time { get; init; }

    public required string Source { get; init; }

    public required string Tenant { get; init; }

    /// <summary><c>accepted</c>, <c>rejected</c>, <c>skipped</c>, <c>duplicate</c> or <c>validated</c>.</summary>
    public required string Outcome { get; init; }

    public required string Reason { get; init; }

    public int Status { get; init; }

    public string? RemoteIp { get; init; }

    /// <summary>Images the request named, as <c>registry/repository@digest</c>.</summary>
    public IReadOnlyList<string> Images { get; init; } = [];
}

/// <summary>
/// Appends one JSON line per ingress request to <c>audit/{yyyy-MM-dd}/{tenant}.jsonl</c> (append blobs, so
/// concurrent instances never overwrite each other's lines).
/// </summary>
internal sealed class AuditLog
{
    private readonly PipelineStorage _storage;
    private readonly ILogger<AuditLog> _logger;

    public AuditLog(PipelineStorage storage, ILogger<AuditLog> logger)
    {
        _storage = storage;
        _logger = logger;
    }

    public static string BlobName(AuditRecord record) => $"{record.Time:yyyy-MM-dd}/{record.Tenant}.jsonl";

    public async Task WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        _logger.LogInformation("Ingress {Source} tenant {Tenant}: {Outcome} ({Status}) {Reason}", record.Source, record.Tenant, record.Outcome, record.Status, record.Reason);
        var blob = _storage.Container(Containers.Audit).GetAppendBlobClient(BlobName(record));
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, PipelineJson.Compact) + "\n");
        try
        {
            await blob.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            using var stream = new MemoryStream(line);
            await blob.AppendBlockAsync(stream, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e)
        {
            // The request's own outcome stands; a lost audit line is logged loudly instead of failing the caller.
            _logger.LogError(e, "Could not append audit record for tenant {Tenant}", record.Tenant);
        }
    }
}
