using Pipeline.Core.Analysis;
using Pipeline.Core.Detection;
using Pipeline.Core.Images;
using Pipeline.Core.Reports;

namespace Pipeline.Analysis.Merging;

/// <summary>
/// Turns per-layer facts into a report: merge, then every detector in order. Shared by the CLI and the
/// pipeline's aggregator so both give the same answers for the same image.
/// </summary>
public sealed class ReportAssembler(IReadOnlyList<IDetector> detectors, TimeProvider timeProvider)
{
    public Task<ScanReport> AssembleAsync(
        ResolvedImage image,
        string name,
        IReadOnlyList<LayerAnalysis> layers,
        IReadOnlyList<LayerReport> layerReports,
        CancellationToken cancellationToken = default) =>
        AssembleAsync(image, name, LayerMerger.Merge(layers), layerReports, cancellationToken);

    /// <summary>
    /// Judges an image whose layers were merged earlier: the pipeline keeps the merged inventory with each report
    /// and re-matches it against a new vulnerability database without opening a layer again.
    /// </summary>
    public async Task<ScanReport> AssembleAsync(
        ResolvedImage image,
        string name,
        MergedImage merged,
        IReadOnlyList<LayerReport> layerReports,
        CancellationToken cancellationToken = default)
    {
        var report = new ScanReport
        {
            CreatedAt = timeProvider.GetUtcNow(),
            Artifact = new ArtifactInfo
            {
                Type = "image",
                Name = name,
                Digest = image.ManifestDigest,
                IndexDigest = image.IndexDigest,
                Platform = image.Platform.ToString(),
                Registry = image.Registry,
                Repository = image.Repository,
                Tag = image.Tag,
                ConfigDigest = image.ConfigDigest,
            },
            Os = merged.Os,
            // Copies: detectors add to the report's secrets and errors, and the merged image must stay as
            // analyzed so that it can be stored and judged again.
            Packages = [.. merged.Packages],
            Secrets = [.. merged.Secrets],
            Layers = [.. layerReports],
            Errors = [.. merged.Errors],
        };
        await RunDetectorsAsync(new DetectionContext(image, merged), report, cancellationToken);
        return report;
    }

    /// <summary>Runs every detector; one failing detector is recorded and never stops the others.</summary>
    public async Task RunDetectorsAsync(DetectionContext context, ScanReport report, CancellationToken cancellationToken)
    {
        foreach (var d in detectors)
        {
            try
            {
                await d.DetectAsync(context, report, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                report.Errors.Add(new AnalysisError { Analyzer = d.Name, Path = string.Empty, Message = e.Message });
            }
        }
    }
}
