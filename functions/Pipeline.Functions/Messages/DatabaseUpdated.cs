namespace Pipeline.Functions.Messages;

/// <summary>
/// A vulnerability database was published. Queue <c>db-updated</c>; queued by the publisher, then once more per
/// page of stored inventories (<see cref="Continuation"/>), so one message never has to list every image.
/// </summary>
public sealed record DatabaseUpdated
{
    /// <summary>The published version (<c>vulndb/{version}/pipeline.db</c>).</summary>
    public required string Version { get; init; }

    /// <summary>Where the listing of stored inventories resumes; null for the first page.</summary>
    public string? Continuation { get; init; }

    public string? TraceParent { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }
}

/// <summary>
/// Match one stored image inventory against a database version again. Queue <c>image-rematch</c>; one message
/// per stored image, handled at most once per (image, version) apart from redeliveries.
/// </summary>
public sealed record RematchRequest
{
    /// <summary>The database version to match against; the message is dropped when a newer one is current.</summary>
    public required string Version { get; init; }

    /// <summary>Blob name of the inventory in the reports container (<c>{registry}/{repository}/{digest}/inventory.json</c>).</summary>
    public required string Inventory { get; init; }

    public string? TraceParent { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }
}
