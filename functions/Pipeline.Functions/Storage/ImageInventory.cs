using Pipeline.Core.Analysis;
using Pipeline.Core.Images;
using Pipeline.Core.Reports;
using Pipeline.Functions.Messages;

namespace Pipeline.Functions.Storage;

/// <summary>
/// What the aggregator knew about an image before judging it: the resolved platform image (config, layers), its
/// merged layers and the per-layer outcome. Stored as <c>reports/{registry}/{repository}/{digest}/inventory.json</c>
/// next to the report, so a new vulnerability database is matched against it without pulling or analyzing a
/// layer again (inventory is cached; matching always uses the current database).
/// </summary>
public sealed record ImageInventory
{
    /// <summary>Changes whenever the shape does; an inventory of another version is not re-matched.</summary>
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The scan that produced it.</summary>
    public required string ScanId { get; init; }

    /// <summary>Where the image lives and which tenant it belongs to.</summary>
    public required ImageCoordinates Image { get; init; }

    /// <summary>The report's artifact name (<c>registry/repository:tag</c>).</summary>
    public required string Name { get; init; }

    public required ResolvedImage Resolved { get; init; }

    public required MergedImage Merged { get; init; }

    public required IReadOnlyList<LayerReport> Layers { get; init; }
}
