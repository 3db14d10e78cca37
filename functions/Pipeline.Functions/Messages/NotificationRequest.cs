namespace Pipeline.Functions.Messages;

/// <summary>
/// Announce a finished report, or the new vulnerabilities a re-match found, to the tenant's webhooks. Queue
/// <c>notifications</c>. A pointer only: the notifier reads the report from <see cref="ReportBlob"/>, so the message
/// stays far under the 64 KiB queue limit.
/// </summary>
public sealed record NotificationRequest
{
    public required string ScanId { get; init; }

    public required string Tenant { get; init; }

    /// <summary>Blob name of <c>report.json</c> in the reports container.</summary>
    public required string ReportBlob { get; init; }

    /// <summary>
    /// Set when the announcement is not a finished scan but new vulnerabilities found by re-matching a stored
    /// image: the blob name, in the scans container, of the re-match outcome listing them.
    /// </summary>
    public string? ChangeBlob { get; init; }

    public string? TraceParent { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }
}
