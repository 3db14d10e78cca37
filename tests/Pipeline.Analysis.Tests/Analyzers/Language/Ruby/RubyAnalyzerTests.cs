using Pipeline.Analysis.Analyzers.Language.Ruby;
using Pipeline.Core.Analysis;

namespace Pipeline.Analysis.Tests.Analyzers.Language.Ruby;

public sealed class RubyAnalyzerTests
{
    [Fact]
    public void Analyze_DebianRakeGemspec_NameUpstreamVersionLicense()
    {
        var dir = DebianDebs.Extract("rake");

        var facts = LanguageAnalyzerHarness.Run(Path.Combine(dir, "root"), new GemspecAnalyzer());

        Assert.Empty(facts.Errors);
        var rake = Assert.Single(facts.Packages());
        Assert.Equal("rake@" + DebianDebs.UpstreamVersion(dir, "rake"), rake.Name + "@" + rake.Version);
        Assert.Equal($"pkg:gem/rake@{rake.Version}", rake.Purl);
        Assert.Equal(["MIT"], rake.Licenses);
        Assert.Equal($"usr/share/rubygems-integration/all/specifications/rake-{rake.Version}.gemspec", rake.Path);
    }

    [Fact]
    public void Analyze_GemfileLock_GemAndGitSpecsWithoutPlatform()
    {
        var facts = LanguageAnalyzerHarness.RunOne(new GemfileLockAnalyzer(), "Gemfile.lock", File.ReadAllBytes(LanguageAnalyzerHarness.TestData("ruby", "Gemfile.lock")));

        Assert.Equal(["mini_portile2@2.8.5", "nokogiri@1.15.5", "racc@1.7.3", "rack@3.0.8", "rails-html-sanitizer@1.6.0"], facts.Packages().Ids());
    }

    [Theory]
    [InlineData("usr/share/rubygems-integration/all/specifications/rake-13.0.6.gemspec", true)]
    [InlineData("usr/local/bundle/specifications/rack-3.0.8.gemspec", true)]
    [InlineData("src/mygem/mygem.gemspec", false)]
    public void Wants_Path_InstalledSpecificationsOnly(string path, bool expected) =>
        Assert.Equal(expected, new GemspecAnalyzer().Wants(new LayerEntry(path, 100, 0b110_100_100)));
}
