using Pipeline.Core.Analysis;
using Pipeline.Analysis.Analyzers.Language.DotNet;
using Pipeline.Analysis.Analyzers.Language.Go;
using Pipeline.Analysis.Analyzers.Language.Java;
using Pipeline.Analysis.Analyzers.Language.Npm;
using Pipeline.Analysis.Analyzers.Language.Php;
using Pipeline.Analysis.Analyzers.Language.Python;
using Pipeline.Analysis.Analyzers.Language.Ruby;
using Pipeline.Analysis.Analyzers.Language.Rust;

namespace Pipeline.Analysis.Analyzers.Language;

/// <summary>
/// The language-package analyzers, for the composition root. Images and source trees need different ones:
/// an image holds what was installed (node_modules, dist-info, binaries, jars), a source tree holds what
/// will be (lock files and manifests). Reading lock files in an image would report dev dependencies that
/// were never installed; reading node_modules in a checkout would report whatever a developer last installed.
/// </summary>
public static class LanguageAnalyzers
{
    /// <summary>Every language analyzer, image and file-system ones together, each once.</summary>
    public static IReadOnlyList<IAnalyzer> All() => [.. ForImage(), .. ForFileSystem().Where(a => !ForImage().Any(i => i.Type == a.Type))];

    /// <summary>Analyzers of installed packages, for <c>scan image</c> and the layer workers.</summary>
    public static IReadOnlyList<IAnalyzer> ForImage() =>
    [
        new NpmPackageAnalyzer(),
        new PythonPackageAnalyzer(),
        new GoBinaryAnalyzer(),
        new JarAnalyzer(),
        new DotNetDepsAnalyzer(),
        new NuGetLockAnalyzer(),
        new CargoLockAnalyzer(),
        new GemspecAnalyzer(),
        new ComposerAnalyzer(),
    ];

    /// <summary>Analyzers of lock files and manifests, for <c>scan fs</c> over a source tree.</summary>
    public static IReadOnlyList<IAnalyzer> ForFileSystem() =>
    [
        new NpmLockAnalyzer(),
        new YarnLockAnalyzer(),
        new PnpmLockAnalyzer(),
        new PipRequirementsAnalyzer(),
        new PipfileLockAnalyzer(),
        new PoetryLockAnalyzer(),
        new GoModAnalyzer(),
        new PomAnalyzer(),
        new GradleLockAnalyzer(),
        new DotNetDepsAnalyzer(),
        new NuGetLockAnalyzer(),
        new NuGetManifestAnalyzer(),
        new CargoLockAnalyzer(),
        new GemfileLockAnalyzer(),
        new ComposerAnalyzer(),
    ];
}
