namespace Pipeline.Functions.Messages;

/// <summary>
/// Merge the analyzed layers of one scan into a report. Queue <c>scan-aggregate</c>; enqueued exactly once per
/// scan by whichever worker wins the aggregation lock (or by the orchestrator when every layer was cached).
/// The layer list lives in <c>scans/{scanId}/expected.json</c>, not in the message.
/// </summary>
public sealed record AggregateRequest
{
    public required string ScanId { get; init; }

    public required ImageCoordinates Image { get; init; }

    public string? TraceParent { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }
}
