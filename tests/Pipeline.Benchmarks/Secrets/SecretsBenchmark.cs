using System.Diagnostics;
using System.Globalization;
using Pipeline.Secrets.Scanning;
using Pipeline.TestKit;

namespace Pipeline.Benchmarks.Secrets;

/// <summary>
/// Secret-scanning throughput over a real root filesystem (the debootstrap root, or a directory given as the
/// first argument), against reading the same files alone, in the same run. Both passes read every regular file
/// with File.ReadAllBytes, as the layer walker hands every file's bytes over; the scan pass then runs the scanner
/// on each. Best of several rounds after a warm-up, so both measure warm page-cache reads. Goal: ratio ≥ 0.5.
/// </summary>
internal static class SecretsBenchmark
{
    private const int Rounds = 5;

    public static Task<int> RunAsync(string[] args)
    {
        var root = args.Length > 0 ? args[0] : DebianRoot.Path;
        // Regular files only: a root filesystem has device nodes (dev/zero never ends) that .NET cannot tell apart.
        var files = Tool.Run("find", [root, "-type", "f", "-print0"])
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => (Full: p, Relative: Path.GetRelativePath(root, p)))
            .ToList();
        var scanner = new SecretScanner(fingerprinter: SecretFingerprinter.Create("benchmark-salt"));

        long bytes = ReadAll(files);
        ScanAll(scanner, files);

        var read = TimeSpan.MaxValue;
        var scan = TimeSpan.MaxValue;
        var findings = 0;
        var scanned = 0;
        for (var i = 0; i < Rounds; i++)
        {
            var sw = Stopwatch.StartNew();
            ReadAll(files);
            read = Min(read, sw.Elapsed);

            sw.Restart();
            (findings, scanned) = ScanAll(scanner, files);
            scan = Min(scan, sw.Elapsed);
        }

        var mb = bytes / 1024.0 / 1024.0;
        var readRate = mb / read.TotalSeconds;
        var scanRate = mb / scan.TotalSeconds;
        var ratio = scanRate / readRate;
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"secrets: root={root} files={files.Count} scanned={scanned} bytes={bytes} rules={scanner.Rules.Count} findings={findings}"));
        Console.WriteLine(string.Create(c, $"read only:     {readRate,9:F1} MB/s ({read.TotalMilliseconds:F0} ms)"));
        Console.WriteLine(string.Create(c, $"read and scan: {scanRate,9:F1} MB/s ({scan.TotalMilliseconds:F0} ms)"));
        Console.WriteLine(string.Create(c, $"ratio: {ratio:F2}x read speed (goal >= 0.50) {(ratio >= 0.5 ? "MET" : "NOT MET")}"));
        return Task.FromResult(0);
    }

    private static long ReadAll(List<(string Full, string Relative)> files)
    {
        long total = 0;
        foreach (var (full, _) in files)
        {
            total += File.ReadAllBytes(full).Length;
        }

        return total;
    }

    private static (int Findings, int Scanned) ScanAll(SecretScanner scanner, List<(string Full, string Relative)> files)
    {
        var findings = 0;
        var scanned = 0;
        foreach (var (full, relative) in files)
        {
            var content = File.ReadAllBytes(full);
            if (scanner.ShouldScan(relative, content.Length))
            {
                scanned++;
                findings += scanner.Scan(relative, content).Count;
            }
        }

        return (findings, scanned);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
