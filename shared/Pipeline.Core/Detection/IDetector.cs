using Pipeline.Core.Analysis;
using Pipeline.Core.Images;
using Pipeline.Core.Reports;

namespace Pipeline.Core.Detection;

/// <summary>
/// Judges a merged image and adds findings to its report: vulnerability matching, image-configuration
/// checks. Detectors never open a tar; analyzers never assign severity.
/// </summary>
/// <remarks>
/// Failure contract: an exception is caught by the caller, recorded in <see cref="ScanReport.Errors"/> under
/// the detector's <see cref="Name"/>, and the other detectors still run.
/// </remarks>
public interface IDetector
{
    string Name { get; }

    Task DetectAsync(DetectionContext context, ScanReport report, CancellationToken cancellationToken = default);
}

/// <summary>What a detector may look at.</summary>
/// <param name="Image">The resolved image (config, layers, annotations); null for a filesystem scan.</param>
/// <param name="Merged">The merged layers.</param>
public sealed record DetectionContext(ResolvedImage? Image, MergedImage Merged);
