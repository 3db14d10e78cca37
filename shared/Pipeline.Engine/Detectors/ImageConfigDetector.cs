using Pipeline.Core.Detection;
using Pipeline.Core.Reports;
using Pipeline.Secrets.ImageConfig;

namespace Pipeline.Engine.Detectors;

/// <summary>
/// Image-configuration checks (root user, secrets in ENV and build args, ADD from URLs, exposed
/// administrative ports, unpinned or disallowed base, setuid and world-writable files) over the merged image.
/// </summary>
internal sealed class ImageConfigDetector(ImageConfigChecker checker, Scanners scanners) : IDetector
{
    public string Name => "image-config";

    public Task DetectAsync(DetectionContext context, ScanReport report, CancellationToken cancellationToken = default)
    {
        if (context.Image is not { } image)
        {
            return Task.CompletedTask;
        }

        // An image does not record where its base image ends. Its first layer always belongs to the base (a
        // root filesystem), so special files there are the base's business; every later layer counts as the
        // application's, the conservative reading for multi-layer bases.
        var layers = image.Layers.Select(l => l.Digest).ToList();
        var result = checker.Check(new ImageConfigInput
        {
            Config = image.Config,
            Annotations = image.Annotations,
            SpecialFiles = context.Merged.SpecialFiles,
            ApplicationLayers = ImageConfigInput.LayersAfterBase(layers, Math.Min(1, layers.Count)),
        });
        if (scanners.HasFlag(Scanners.Config))
        {
            report.Misconfigurations.AddRange(result.Misconfigurations);
        }

        if (scanners.HasFlag(Scanners.Secret))
        {
            report.Secrets.AddRange(result.Secrets);
        }

        return Task.CompletedTask;
    }
}
