using Pipeline.Core.Findings;

namespace Pipeline.Iac.Tests;

/// <summary>Locates test data and runs scans the way callers do.</summary>
internal static class IacTestData
{
    public static string Root => System.IO.Path.Combine(AppContext.BaseDirectory, "testdata");

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static IacScanResult Scan(string path, IacScanOptions? options = null) =>
        new IacScanner(options ?? new IacScanOptions()).ScanAsync(path).GetAwaiter().GetResult();

    /// <summary>Writes files into a fresh directory and scans it.</summary>
    public static IacScanResult ScanFiles(IDictionary<string, string> files, IacScanOptions? options = null)
    {
        var dir = WriteFiles(files);
        return Scan(dir, options);
    }

    public static string WriteFiles(IDictionary<string, string> files)
    {
        var dir = Pipeline.TestKit.TestPaths.NewTempDir("iac");
        foreach (var (name, text) in files)
        {
            var full = System.IO.Path.Combine(dir, name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return dir;
    }

    public static string Describe(IEnumerable<Misconfiguration> findings) =>
        string.Join("\n", findings.Select(f => $"{f.RuleId} {f.File}:{f.StartLine}-{f.EndLine} defaulted={f.Defaulted} {f.Resource}: {f.Message}"));
}
