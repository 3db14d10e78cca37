using Pipeline.Analysis.Analyzers.Language;

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
}
