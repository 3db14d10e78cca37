using Pipeline.Core.Reports;
using Pipeline.Iac;

namespace Pipeline.Functions.Engine;

/// <summary>
/// shared/Pipeline.Iac over an upload: the blob is copied to a private temporary directory under its own
/// file name (the scanner recognizes formats, and .zip archives, by name), scanned, and deleted.
/// </summary>
internal sealed class EngineIacScanner(TimeProvider time) : IIacScanner
{
    private readonly IacScanner _scanner = new(new IacScanOptions());

    public async Task<ScanReport> ScanAsync(Stream upload, string fileName, CancellationToken cancellationToken = default)
    {
        var dir = Directory.CreateTempSubdirectory("pipeline-iac-");
        try
        {
            var path = Path.Combine(dir.FullName, Path.GetFileName(fileName));
            await using (var file = File.Create(path))
            {
                await upload.CopyToAsync(file, cancellationToken);
            }

            var result = await _scanner.ScanAsync(path, cancellationToken);
            return new ScanReport
            {
                CreatedAt = time.GetUtcNow(),
                Artifact = new ArtifactInfo { Type = "iac", Name = Path.GetFileName(fileName) },
                Misconfigurations = result.Misconfigurations,
                Suppressed = result.Suppressed.Count > 0 ? new SuppressedFindings { Misconfigurations = result.Suppressed } : null,
                Errors = result.Errors,
            };
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
