namespace Pipeline.Functions.Messages;

/// <summary>
/// One registry push, normalized from whichever source announced it (Event Grid, CloudEvents, EventBridge,
/// distribution notifications, Harbor). Queue <c>scan-requests</c>.
/// </summary>
public sealed record ImagePushed
{
    /// <summary>Registry host with port (<c>demo.azurecr.io</c>, <c>127.0.0.1:5000</c>).</summary>
    public required string Registry { get; init; }

    public required string Repository { get; init; }

    /// <summary>Digest of the pushed manifest or index; scans always pull by digest, never by tag.</summary>
    public required string Digest { get; init; }

    public string? Tag { get; init; }

    public string? MediaType { get; init; }

    /// <summary>Which ingress produced it: <c>eventgrid</c>, <c>cloudevents</c>, <c>ecr</c>, <c>distribution</c>, <c>harbor</c>.</summary>
    public required string Source { get; init; }

    public required string Tenant { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>W3C trace context of the ingress request, so the scan's spans join one trace.</summary>
    public string? TraceParent { get; init; }
}
