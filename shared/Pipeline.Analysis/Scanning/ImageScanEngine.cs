using Pipeline.Analysis.Merging;
using Pipeline.Analysis.Streams;
using Pipeline.Analysis.Walking;
using Pipeline.Core.Analysis;
using Pipeline.Core.Images;
using Pipeline.Core.Reports;

namespace Pipeline.Analysis.Scanning;

/// <summary>A step of an image scan, for progress displays.</summary>
public sealed record ScanProgress(string Platform, string LayerDigest, string Stage, long Size);

/// <summary>
/// Scans every platform of an image: each layer is taken from the cache or pulled and analyzed once (in
/// parallel), then merged and judged by the detectors. The CLI's engine; the pipeline runs the same steps
/// spread over queue workers.
/// </summary>
public sealed class ImageScanEngine(
    LayerScanner scanner,
    ILayerCache? cache,
    ReportAssembler assembler,
    int parallelism = 2,
    IProgress<ScanProgress>? progress = null)
{
    public async Task<IReadOnlyList<ScanReport>> ScanAsync(IImageSource source, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        var images = await source.ResolveAsync(platform, cancellationToken);
        if (images.Count == 0)
        {
            throw new InvalidOperationException(platform is null
                ? $"{source.Name} has no image manifests."
                : $"{source.Name} has no image for platform {platform}.");
        }

        var reports = new List<ScanReport>(images.Count);
        foreach (var image in images)
        {
            reports.Add(await ScanImageAsync(source, image, cancellationToken));
        }

        return reports;
    }

    public async Task<ScanReport> ScanImageAsync(IImageSource source, ResolvedImage image, CancellationToken cancellationToken = default)
    {
        var results = new (LayerAnalysis? Analysis, LayerReport Report)[image.Layers.Count];
        using var gate = new SemaphoreSlim(Math.Max(1, parallelism));
        var tasks = image.Layers.Select(async (layer, i) =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                results[i] = await ScanLayerAsync(source, image, layer, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks);

        var failed = results.Where(r => r.Report.Status == "failed").ToList();
        if (failed.Count > 0)
        {
            throw new LayerException(failed[0].Report.Reason ?? "A layer failed.");
        }

        var analyses = results.Where(r => r.Analysis is not null).Select(r => r.Analysis!).ToList();
        return await assembler.AssembleAsync(image, source.Name, analyses, [.. results.Select(r => r.Report)], cancellationToken);
    }

    private async Task<(LayerAnalysis?, LayerReport)> ScanLayerAsync(IImageSource source, ResolvedImage image, LayerDescriptor layer, CancellationToken cancellationToken)
    {
        var report = new LayerReport { Digest = layer.Digest, DiffId = layer.DiffId, Size = layer.Size };
        var platform = image.Platform.ToString();
        if (layer.Foreign)
        {
            report.Status = "skipped";
            report.Reason = $"foreign layer ({layer.MediaType}) is not distributable and was not pulled";
            progress?.Report(new ScanProgress(platform, layer.Digest, "skipped", layer.Size));
            return (null, report);
        }

        if (layer.Compression == LayerCompression.Unknown)
        {
            report.Status = "failed";
            report.Reason = $"Layer {layer.Digest} has an unknown media type '{layer.MediaType}'.";
            return (null, report);
        }

        var key = scanner.CacheKey(layer.DiffId);
        if (cache is not null && await cache.GetAsync(key, cancellationToken) is { } cached)
        {
            report.Status = "cached";
            progress?.Report(new ScanProgress(platform, layer.Digest, "cached", layer.Size));
            cached.Digest = layer.Digest;
            return (cached, report);
        }

        progress?.Report(new ScanProgress(platform, layer.Digest, "pulling", layer.Size));
        try
        {
            await using var blob = await source.OpenBlobAsync(layer.Digest, cancellationToken);
            var analysis = await scanner.AnalyzeAsync(blob, layer, cancellationToken);
            if (cache is not null)
            {
                await cache.PutAsync(key, analysis, cancellationToken);
            }

            progress?.Report(new ScanProgress(platform, layer.Digest, "analyzed", layer.Size));
            return (analysis, report);
        }
        catch (LayerException e)
        {
            report.Status = "failed";
            report.Reason = e.Message;
            progress?.Report(new ScanProgress(platform, layer.Digest, "failed", layer.Size));
            return (null, report);
        }
    }
}
