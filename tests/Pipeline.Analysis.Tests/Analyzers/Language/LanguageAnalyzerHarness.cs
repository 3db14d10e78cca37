using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Tests.Analyzers.Language;

/// <summary>
/// Runs analyzers over a real directory tree the way the layer walker runs them over a layer: paths
/// relative to the root without a leading slash, the file's real mode, Wants first, then Analyze.
/// Analyzer exceptions are recorded as errors, as the walker's failure contract says.
/// </summary>
internal static class LanguageAnalyzerHarness
{
    public static LayerAnalysis Run(string root, params IAnalyzer[] analyzers)
    {
        var facts = new LayerAnalysis();
        foreach (var full in RegularFiles(root))
        {
            var info = new FileInfo(full);
            var entry = new LayerEntry(Path.GetRelativePath(root, full).Replace('\\', '/'), info.Length, OperatingSystem.IsWindows() ? 0b110_100_100 : (int)File.GetUnixFileMode(full));
            foreach (var analyzer in analyzers)
            {
                if (!analyzer.Wants(entry))
                {
                    continue;
                }

                facts.Analyzers[analyzer.Type] = analyzer.Version;
                try
                {
                    analyzer.Analyze(new LayerFile(entry, File.ReadAllBytes(full)), facts);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    facts.AddError(analyzer.Type, entry.Path, e.Message);
                }
            }
        }

        return facts;
    }

    /// <summary>Regular files under <paramref name="root"/>; links are entries of their own in a layer, never followed.</summary>
    private static IEnumerable<string> RegularFiles(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var child in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(child);
                if (info.LinkTarget is not null)
                {
                    continue;
                }

                if (info.Attributes.HasFlag(FileAttributes.Directory))
                {
                    pending.Push(child);
                }
                else
                {
                    yield return child;
                }
            }
        }
    }

    /// <summary>Runs one analyzer over one in-memory file (for hostile or hand-made inputs).</summary>
    public static LayerAnalysis RunOne(IAnalyzer analyzer, string path, byte[] content, int mode = 0b110_100_100)
    {
        var entry = new LayerEntry(path, content.Length, mode);
        var facts = new LayerAnalysis();
        analyzer.Analyze(new LayerFile(entry, content), facts);
        return facts;
    }

    public static List<Package> Packages(this LayerAnalysis facts) => facts.PackageSets.SelectMany(s => s.Packages).ToList();

    /// <summary>name@version strings, sorted and distinct, for set comparisons with a tool's own listing.</summary>
    public static List<string> Ids(this IEnumerable<Package> packages) =>
        packages.Select(p => p.Name + "@" + p.Version).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>A fixture under <c>tests/Pipeline.Analysis.Tests/testdata/lang</c>, read from the source tree.</summary>
    public static string TestData(params string[] parts) =>
        Path.Combine([Pipeline.TestKit.TestPaths.RepoRoot, "tests", "Pipeline.Analysis.Tests", "testdata", "lang", .. parts]);

    /// <summary>A directory under the test cache made once by <paramref name="make"/> (which gets a temporary directory to fill).</summary>
    public static string Cached(string name, Action<string> make)
    {
        var dir = Path.Combine(Pipeline.TestKit.TestPaths.Cache, "lang", name);
        var done = dir + ".done";
        if (File.Exists(done))
        {
            return dir;
        }

        var tmp = dir + ".tmp-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(tmp);
        make(tmp);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.Move(tmp, dir);
        File.WriteAllText(done, string.Empty);
        return dir;
    }
}
