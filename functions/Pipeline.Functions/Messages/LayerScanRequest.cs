namespace Pipeline.Functions.Messages;

/// <summary>Analyze one layer of one image. Queue <c>layer-scans</c>; one message per layer not yet in the cache.</summary>
public sealed record LayerScanRequest
{
    public required string ScanId { get; init; }

    public required ImageCoordinates Image { get; init; }

    /// <summary>Digest of the layer blob as stored (what is pulled and verified).</summary>
    public required string LayerDigest { get; init; }

    /// <summary>Digest of the uncompressed tar (what the cache key is derived from).</summary>
    public required string DiffId { get; init; }

    public required string MediaType { get; init; }

    public required string CacheKey { get; init; }

    /// <summary>Position of the layer in the scan's expected set (<c>scans/{scanId}/expected.json</c>).</summary>
    public int Index { get; init; }

    public string? TraceParent { get; init; }

    /// <summary>When the message was queued, for the queue-wait metric.</summary>
    public DateTimeOffset EnqueuedAt { get; init; }
}

/// <summary>Where an image lives: enough to pull it again by digest.</summary>
public sealed record ImageCoordinates
{
    public required string Registry { get; init; }

    public required string Repository { get; init; }

    /// <summary>Digest of the manifest (the platform's, for multi-platform images).</summary>
    public required string Digest { get; init; }

    public string? Tag { get; init; }

    /// <summary>Digest of the index the manifest was chosen from, if any.</summary>
    public string? IndexDigest { get; init; }

    public string? Platform { get; init; }

    public required string Tenant { get; init; }
}
