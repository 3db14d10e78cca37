using Pipeline.Analysis.Analyzers.Language.Python;

namespace Pipeline.Analysis.Tests.Analyzers.Language.Python;

public sealed class PythonLockAnalyzerTests
{
    private static string Fixture(string name) => LanguageAnalyzerHarness.TestData("python", name);

    [Fact]
    public void Analyze_Requirements_OnlyExactPins()
    {
        var facts = LanguageAnalyzerHarness.RunOne(new PipRequirementsAnalyzer(), "requirements.txt", File.ReadAllBytes(Fixture("requirements.txt")));

        Assert.Equal(["Django@4.2.7", "Flask@3.0.0", "PyYAML@6.0.1", "requests@2.31.0", "urllib3@2.0.7"], facts.Packages().Ids());
        Assert.Equal("pkg:pypi/pyyaml@6.0.1", facts.Packages().Single(p => p.Name == "PyYAML").Purl);
    }

    [Fact]
    public void Analyze_PipfileLock_DefaultAndDevelop()
    {
        var facts = LanguageAnalyzerHarness.RunOne(new PipfileLockAnalyzer(), "Pipfile.lock", File.ReadAllBytes(Fixture("Pipfile.lock")));

        var packages = facts.Packages();
        Assert.Equal(["certifi@2023.7.22", "idna@3.4", "pytest@7.4.3", "requests@2.31.0"], packages.Ids());
        Assert.True(packages.Single(p => p.Name == "pytest").Dev);
        Assert.False(packages.Single(p => p.Name == "requests").Dev);
    }

    [Fact]
    public void Analyze_PoetryLock_PackagesWithGroups()
    {
        var facts = LanguageAnalyzerHarness.RunOne(new PoetryLockAnalyzer(), "poetry.lock", File.ReadAllBytes(Fixture("poetry.lock")));

        var packages = facts.Packages();
        Assert.Equal(["charset-normalizer@3.3.2", "colorama@0.4.6", "pytest@7.4.3", "requests@2.31.0"], packages.Ids());
        Assert.True(packages.Single(p => p.Name == "pytest").Dev);
        Assert.True(packages.Single(p => p.Name == "colorama").Dev);
        Assert.False(packages.Single(p => p.Name == "requests").Dev);
        Assert.Equal("pkg:pypi/charset-normalizer@3.3.2", packages.Single(p => p.Name == "charset-normalizer").Purl);
    }
}
