using Pipeline.Core.Detection;
using Pipeline.Core.Images;
using Pipeline.Core.Reports;
using Pipeline.Functions.Messages;

namespace Pipeline.Functions.Engine;

/// <summary>
/// Opens an image in a tenant's registry. The plug point for shared/Pipeline.Registry:
/// <c>ImageSourceFactory.Create(reference, registryOptions)</c> for the coordinates' registry, repository and
/// digest, with the tenant's credentials. Callers dispose the source.
/// </summary>
public interface IImageSourceProvider
{
    IImageSource Open(ImageCoordinates image);
}

/// <summary>
/// The detectors that judge a merged image (vulnerability matching, image-config checks), built for the
/// vulnerability database file the aggregator downloaded. Plug point for shared/Pipeline.Vulnerabilities.
/// </summary>
public interface IDetectorSource
{
    /// <summary>
    /// The detectors for one database file, held until the lease is disposed: a newer database arriving meanwhile
    /// never closes the file under a judgement still running on the older one.
    /// </summary>
    /// <param name="databasePath">The local database file, or null when no database has been published yet.</param>
    Task<DetectorLease> AcquireAsync(string? databasePath, CancellationToken cancellationToken = default);
}

/// <summary>Detectors in use; disposing the lease lets their source close what they hold once nobody uses it.</summary>
public sealed class DetectorLease : IDisposable
{
    private Action? _release;

    /// <param name="release">Called once, on the first <see cref="Dispose"/>.</param>
    public DetectorLease(IReadOnlyList<IDetector> detectors, Action? release = null)
    {
        Detectors = detectors;
        _release = release;
    }

    public IReadOnlyList<IDetector> Detectors { get; }

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}

/// <summary>Applies a tenant's policy (suppressions, verdict). Plug point for shared/Pipeline.Policy.</summary>
public interface IPolicyEvaluator
{
    /// <param name="policyYaml">The tenant's policy document, or null for the default policy.</param>
    /// <returns>The judged report (may be a copy).</returns>
    ScanReport Apply(ScanReport report, string? policyYaml, DateOnly today);
}

/// <summary>One report format written next to <c>report.json</c> (SARIF, CycloneDX). Plug point for shared/Pipeline.Reports.</summary>
public interface IReportWriter
{
    /// <summary>The blob file name, e.g. <c>report.sarif</c> or <c>sbom.cdx.json</c>.</summary>
    string FileName { get; }

    string ContentType { get; }

    Task WriteAsync(ScanReport report, Stream output, CancellationToken cancellationToken = default);
}

/// <summary>Scans one uploaded IaC file or archive. Plug point for shared/Pipeline.Iac.</summary>
public interface IIacScanner
{
    Task<ScanReport> ScanAsync(Stream upload, string fileName, CancellationToken cancellationToken = default);
}
