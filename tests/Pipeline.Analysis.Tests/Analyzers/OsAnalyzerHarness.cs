using Pipeline.Core.Analysis;
using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Analyzers;

/// <summary>
/// Runs analyzers over a real directory tree the way the layer walker runs them over a layer: every regular
/// file (links are skipped, as the walker never follows them) is offered to <see cref="IAnalyzer.Wants"/>
/// with its normalized path, and the wanted ones are read and analyzed. An exception is recorded as an
/// error, as the walker records it.
/// </summary>
internal static class OsAnalyzerHarness
{
    /// <summary>The testdata/os folder of this test project.</summary>
    public static string TestData { get; } = Path.Combine(TestPaths.RepoRoot, "tests", "Pipeline.Analysis.Tests", "testdata", "os");

    public static LayerAnalysis Run(string root, params IAnalyzer[] analyzers)
    {
        var facts = new LayerAnalysis();
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
            IgnoreInaccessible = true,
        };
        foreach (var full in Directory.EnumerateFiles(root, "*", options).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(full);
            if (info.LinkTarget is not null)
            {
                continue;
            }

            var entry = new LayerEntry(Path.GetRelativePath(root, full).Replace('\\', '/'), info.Length, OperatingSystem.IsWindows() ? 0b110_100_100 : (int)File.GetUnixFileMode(full));
            foreach (var analyzer in analyzers)
            {
                if (analyzer.Wants(entry))
                {
                    Analyze(analyzer, entry, File.ReadAllBytes(full), facts);
                }
            }
        }

        return facts;
    }

    /// <summary>Analyzes one file's bytes as if the walker had found it at <paramref name="path"/>.</summary>
    public static LayerAnalysis RunBytes(IAnalyzer analyzer, string path, byte[] content)
    {
        var facts = new LayerAnalysis();
        var entry = new LayerEntry(path, content.Length, 0b110_100_100);
        Assert.True(analyzer.Wants(entry), $"{analyzer.Type} does not want {path}");
        Analyze(analyzer, entry, content, facts);
        return facts;
    }

    private static void Analyze(IAnalyzer analyzer, LayerEntry entry, byte[] content, LayerAnalysis facts)
    {
        facts.Analyzers[analyzer.Type] = analyzer.Version;
        try
        {
            analyzer.Analyze(new LayerFile(entry, content), facts);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            facts.AddError(analyzer.Type, entry.Path, "threw: " + e.Message);
        }
    }
}
