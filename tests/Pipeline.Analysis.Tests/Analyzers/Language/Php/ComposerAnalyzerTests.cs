using Pipeline.Analysis.Analyzers.Language.Php;
using Pipeline.Core.Analysis;

namespace Pipeline.Analysis.Tests.Analyzers.Language.Php;

public sealed class ComposerAnalyzerTests
{
    [Fact]
    public void Analyze_ComposerLock_PackagesAndDev()
    {
        var facts = LanguageAnalyzerHarness.RunOne(new ComposerAnalyzer(), "composer.lock", File.ReadAllBytes(LanguageAnalyzerHarness.TestData("php", "composer.lock")));

        var packages = facts.Packages();
        Assert.Equal(["monolog/monolog@3.5.0", "phpunit/phpunit@10.5.1", "psr/log@3.0.0"], packages.Ids());
        Assert.True(packages.Single(p => p.Name == "phpunit/phpunit").Dev);
        var monolog = packages.Single(p => p.Name == "monolog/monolog");
        Assert.Equal("pkg:composer/monolog/monolog@3.5.0", monolog.Purl);
        Assert.Equal(["MIT"], monolog.Licenses);
    }

    [Fact]
    public void Analyze_InstalledJsonV2_DevPackageNames()
    {
        var facts = LanguageAnalyzerHarness.RunOne(new ComposerAnalyzer(), "app/vendor/composer/installed.json", File.ReadAllBytes(LanguageAnalyzerHarness.TestData("php", "installed.json")));

        Assert.Equal(["phpunit/phpunit@10.5.1", "psr/log@3.0.0"], facts.Packages().Ids());
        Assert.True(facts.Packages().Single(p => p.Name == "phpunit/phpunit").Dev);
    }

    [Theory]
    [InlineData("app/composer.lock", true)]
    [InlineData("app/vendor/composer/installed.json", true)]
    [InlineData("app/vendor/x/y/composer.lock", false)]
    [InlineData("app/composer.json", false)]
    public void Wants_Path_LockAndInstalled(string path, bool expected) =>
        Assert.Equal(expected, new ComposerAnalyzer().Wants(new LayerEntry(path, 100, 0b110_100_100)));
}
