using Pipeline.Analysis.Analyzers.Os.Apk;
using Pipeline.Analysis.Analyzers.Os.Dpkg;
using Pipeline.Analysis.Analyzers.Os.Rpm;
using Pipeline.Core.Analysis;

namespace Pipeline.Analysis.Analyzers.Os;

/// <summary>The operating-system analyzers, for the composition root to list with the others.</summary>
public static class OsAnalyzers
{
    /// <summary>
    /// One instance of each: <c>os-release</c> (release files → <see cref="LayerAnalysis.Os"/>, merged with
    /// <see cref="OsResolver.Resolve"/>), <c>dpkg</c>, <c>apk</c> and <c>rpm</c> (packages and owned files).
    /// They keep no state, so one instance serves every layer and thread.
    /// </summary>
    public static IReadOnlyList<IAnalyzer> All() =>
        [new OsReleaseAnalyzer(), new DpkgAnalyzer(), new ApkAnalyzer(), new RpmAnalyzer()];
}
