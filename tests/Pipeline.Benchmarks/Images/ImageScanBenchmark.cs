using System.Diagnostics;
using System.IO.Compression;
using Pipeline.Analysis.Caching;
using Pipeline.Analysis.Scanning;
using Pipeline.Engine;
using Pipeline.Registry;

namespace Pipeline.Benchmarks.Images;

/// <summary>
/// Image scan measured inside one process, so the figures are the engine's and not the runtime's start-up:
/// cold (empty layer cache) and warm (every layer cached), each against decompressing the same layer blobs
/// with GZipStream measured in the same run. Usage: <c>image oci:LAYOUT:TAG [runs]</c>.
/// </summary>
internal static class ImageScanBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: image oci:LAYOUT:TAG [runs]");
            return 2;
        }

        var reference = args[0];
        var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        using var engine = ScanEngineFactory.Create(new ScanSettings { Scanners = Scanners.All, DatabasePath = Path.Combine(Path.GetTempPath(), "no-db", "none.db") });

        // Reference: decompress every layer blob, the floor any analysis of the same bytes has to pay.
        var gunzip = await MedianAsync(runs, async () =>
        {
            await using var source = ImageSourceFactory.Create(reference, new RegistryOptions());
            foreach (var image in await source.ResolveAsync())
            {
                foreach (var layer in image.Layers)
                {
                    await using var blob = await source.OpenBlobAsync(layer.Digest);
                    await using var gz = new GZipStream(blob, CompressionMode.Decompress);
                    await gz.CopyToAsync(Stream.Null);
                }
            }
        });

        async Task ScanAsync(string? cacheDir)
        {
            await using var source = ImageSourceFactory.Create(reference, new RegistryOptions());
            var cache = cacheDir is null ? null : new DirectoryLayerCache(cacheDir);
            await new ImageScanEngine(engine.LayerScanner, cache, engine.Assembler, 2).ScanAsync(source);
        }

        var cold = await MedianAsync(runs, () => ScanAsync(Path.Combine(Path.GetTempPath(), "bench-cold-" + Guid.NewGuid().ToString("N"))));
        var warmDir = Path.Combine(Path.GetTempPath(), "bench-warm-" + Guid.NewGuid().ToString("N"));
        await ScanAsync(warmDir);
        var warm = await MedianAsync(runs, () => ScanAsync(warmDir));
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);

        Console.WriteLine($"image scan in one process, {reference} (median of {runs})");
        Console.WriteLine($"  GZipStream of the layers (reference) {gunzip,8:0.000} s");
        Console.WriteLine($"  scan, cold cache                     {cold,8:0.000} s   {cold / gunzip:0.00}x the reference   (goal <= 1.0x gzip -dc)");
        Console.WriteLine($"  scan, warm cache                     {warm,8:0.000} s   {warm / cold:0.000}x cold              (goal <= 0.05x)");
        Console.WriteLine($"  peak working set of this process     {peak,8:0} MB                          (goal <= 250 MB)");
        return 0;
    }

    private static async Task<double> MedianAsync(int runs, Func<Task> work)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            await work();
            times.Add(sw.Elapsed.TotalSeconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
