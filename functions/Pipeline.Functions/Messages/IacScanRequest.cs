namespace Pipeline.Functions.Messages;

/// <summary>Scan an uploaded IaC archive or file. Queue <c>iac-scans</c>; the upload itself stays in blob <see cref="Blob"/>.</summary>
public sealed record IacScanRequest
{
    public required string ScanId { get; init; }

    public required string Tenant { get; init; }

    /// <summary>Container-relative blob name of the upload (<c>iac-uploads/{name}</c>).</summary>
    public required string Blob { get; init; }

    public string? TraceParent { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }
}
