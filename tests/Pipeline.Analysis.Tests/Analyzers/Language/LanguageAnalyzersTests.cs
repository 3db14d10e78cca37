using Pipeline.Analysis.Analyzers.Language;
using Pipeline.Analysis.Tests.Analyzers.Language.Go;
using Pipeline.Analysis.Tests.Analyzers.Language.Npm;

namespace Pipeline.Analysis.Tests.Analyzers.Language;

public sealed class LanguageAnalyzersTests
{
    [Fact]
    public void All_EveryAnalyzerOnceWithVersion()
    {
        var all = LanguageAnalyzers.All();

        Assert.Equal(all.Count, all.Select(a => a.Type).Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, a => Assert.True(a.Version >= 1));
        Assert.Equal(
            LanguageAnalyzers.ForImage().Concat(LanguageAnalyzers.ForFileSystem()).Select(a => a.Type).Distinct().Order(StringComparer.Ordinal),
            all.Select(a => a.Type).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ForImage_InstalledPackagesNotLockFiles()
    {
        var image = LanguageAnalyzers.ForImage().Select(a => a.Type).ToList();

        Assert.Contains("npm-pkg", image);
        Assert.Contains("python-pkg", image);
        Assert.Contains("gobinary", image);
        Assert.Contains("jar", image);
        Assert.DoesNotContain("npm-lock", image);
        Assert.DoesNotContain("pip", image);
    }

    [Fact]
    public void ForImage_RealTrees_EachFileClaimedByItsOwnAnalyzerWithoutErrors()
    {
        var debs = DebianDebs.Extract("python3-six", "python3-urllib3", "python3-packaging", "python3-typing-extensions");
        var analyzers = LanguageAnalyzers.ForImage().ToArray();

        var python = LanguageAnalyzerHarness.Run(Path.Combine(debs, "root"), analyzers);
        var npm = LanguageAnalyzerHarness.Run(NpmFixture.Path, analyzers);
        var go = LanguageAnalyzerHarness.Run(GoFixture.Path, analyzers);

        Assert.Empty(python.Errors.Concat(npm.Errors).Concat(go.Errors));
        Assert.All(python.PackageSets, s => Assert.Equal("python-pkg", s.Analyzer));
        Assert.All(npm.PackageSets, s => Assert.Equal("npm-pkg", s.Analyzer));
        Assert.Equal(NpmFixture.NpmLsIds(), npm.Packages().Ids());
        Assert.Equal(["gobinary"], go.PackageSets.Select(s => s.Analyzer).Distinct());
    }
}
