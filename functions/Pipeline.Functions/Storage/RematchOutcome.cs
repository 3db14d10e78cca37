using Pipeline.Core.Findings;
using Pipeline.Functions.Messages;

namespace Pipeline.Functions.Storage;

/// <summary>
/// What re-matching one stored image against one database version found:
/// <c>scans/rematch/{version}/{image}.json</c>, created once (<c>If-None-Match: *</c>) before the report is
/// rewritten. It marks the (image, version) pair done and keeps the new findings for the notifier, so a
/// redelivered message announces the same findings even after its first attempt already rewrote the report.
/// </summary>
public sealed record RematchOutcome
{
    /// <summary>Stable per (image, version); the notifier derives the <c>webhook-id</c> from it.</summary>
    public required string RematchId { get; init; }

    /// <summary>The database version matched against.</summary>
    public required string Version { get; init; }

    public required ImageCoordinates Image { get; init; }

    /// <summary>The report.json blob name in the reports container.</summary>
    public required string ReportBlob { get; init; }

    /// <summary>Whether the report changed (and was rewritten).</summary>
    public bool Changed { get; init; }

    /// <summary>Reported findings whose advisory and package the previous report did not hold, reported or suppressed.</summary>
    public IReadOnlyList<VulnerabilityFinding> New { get; init; } = [];

    /// <summary>Findings the previous report listed that the new database no longer matches.</summary>
    public IReadOnlyList<VulnerabilityFinding> Resolved { get; init; } = [];

    public DateTimeOffset At { get; init; }
}
