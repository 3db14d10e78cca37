using System.Text;
using Pipeline.Analysis.Analyzers.Language.Npm;
using Pipeline.Core.Analysis;

namespace Pipeline.Analysis.Tests.Analyzers.Language.Npm;

public sealed class NpmPackageAnalyzerTests
{
    [Fact]
    public void Analyze_RealInstalledTree_EqualsNpmLs()
    {
        var facts = LanguageAnalyzerHarness.Run(NpmFixture.Path, new NpmPackageAnalyzer());

        Assert.Empty(facts.Errors);
        Assert.Equal(NpmFixture.NpmLsIds(), facts.Packages().Ids());
    }

    [Fact]
    public void Analyze_RealInstalledTree_ScopedAndNestedPackagesHavePurlAndPath()
    {
        var packages = LanguageAnalyzerHarness.Run(NpmFixture.Path, new NpmPackageAnalyzer()).Packages();

        var scoped = Assert.Single(packages, p => p.Name == "@types/ms");
        Assert.Equal("pkg:npm/%40types/ms@0.7.34", scoped.Purl);
        Assert.Equal("node_modules/@types/ms/package.json", scoped.Path);
        Assert.Equal(["MIT"], scoped.Licenses);

        var nested = Assert.Single(packages, p => p.Name == "debug" && p.Version == "2.6.9");
        Assert.Equal("node_modules/finalhandler/node_modules/debug/package.json", nested.Path);
        Assert.Equal("pkg:npm/debug@2.6.9", nested.Purl);
        Assert.All(packages, p => Assert.Equal("npm", p.Type));
    }

    [Theory]
    [InlineData("node_modules/ms/package.json", true)]
    [InlineData("usr/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json", true)]
    [InlineData("app/node_modules/a/node_modules/b/package.json", true)]
    [InlineData("package.json", false)]
    [InlineData("app/package.json", false)]
    [InlineData("node_modules/resolve/test/resolver/package.json", false)]
    [InlineData("node_modules/@scope/package.json", false)]
    [InlineData("node_modules/x/lib/esm/package.json", false)]
    [InlineData("my_node_modules/x/package.json", false)]
    public void Wants_Path_OnlyPackageRoots(string path, bool expected) =>
        Assert.Equal(expected, new NpmPackageAnalyzer().Wants(new LayerEntry(path, 100, 0b110_100_100)));

    [Theory]
    [InlineData("""{ "name": "x" }""")]
    [InlineData("""{ "version": "1.0.0" }""")]
    [InlineData("""{ "name": "root", "version": "1.0.0", "private": true }""")]
    public void Analyze_NoNameVersionOrPrivate_NoPackage(string json)
    {
        var facts = LanguageAnalyzerHarness.RunOne(new NpmPackageAnalyzer(), "node_modules/x/package.json", Encoding.UTF8.GetBytes(json));

        Assert.Empty(facts.Packages());
    }

    [Fact]
    public void Analyze_CorruptJson_Throws() =>
        Assert.ThrowsAny<Exception>(() => LanguageAnalyzerHarness.RunOne(new NpmPackageAnalyzer(), "node_modules/x/package.json", "{\"name\": "u8.ToArray()));
}
