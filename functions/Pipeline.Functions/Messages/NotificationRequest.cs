namespace Pipeline.Functions.Messages;

/// <summary>
/// Announce a finished report to the tenant's webhooks. Queue <c>notifications</c>. A pointer only: the notifier
/// reads the report from <see cref="ReportBlob"/>, so the message stays far under the 64 KiB queue limit.
/// </summary>
public sealed record NotificationRequest
{
    public required string ScanId { get; init; }

    public required string Tenant { get; init; }

    /// <summary>Blob name of <c>report.json</c> in the reports container.</summary>
    public required string ReportBlob { get; init; }

    public string? TraceParent { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }
}
