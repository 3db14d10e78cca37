using System.Text;
using Pipeline.Analysis.Analyzers.Language.Java;

namespace Pipeline.Analysis.Tests.Analyzers.Language.Java;

public sealed class JavaManifestAnalyzerTests
{
    [Fact]
    public void Analyze_Pom_PropertiesAndManagedVersionsResolved()
    {
        var facts = LanguageAnalyzerHarness.RunOne(new PomAnalyzer(), "pom.xml", File.ReadAllBytes(LanguageAnalyzerHarness.TestData("java", "pom.xml")));

        var packages = facts.Packages();
        Assert.Equal(["com.example:shared-model@2.3.0", "com.fasterxml.jackson.core:jackson-databind@2.15.3", "junit:junit@4.13.2", "org.slf4j:slf4j-api@1.7.32"], packages.Ids());
        Assert.True(packages.Single(p => p.Name == "junit:junit").Dev);
        Assert.Equal("pkg:maven/org.slf4j/slf4j-api@1.7.32", packages.Single(p => p.Name == "org.slf4j:slf4j-api").Purl);
    }

    [Fact]
    public void Analyze_PomWithExternalEntity_RefusedNotResolved()
    {
        const string Xxe = """<?xml version="1.0"?><!DOCTYPE project [<!ENTITY x SYSTEM "file:///etc/passwd">]><project><groupId>&x;</groupId></project>""";

        Assert.ThrowsAny<System.Xml.XmlException>(() => LanguageAnalyzerHarness.RunOne(new PomAnalyzer(), "pom.xml", Encoding.UTF8.GetBytes(Xxe)));
    }

    [Fact]
    public void Analyze_GradleLockfile_ModulesAndTestOnlyDev()
    {
        var facts = LanguageAnalyzerHarness.RunOne(new GradleLockAnalyzer(), "gradle.lockfile", File.ReadAllBytes(LanguageAnalyzerHarness.TestData("java", "gradle.lockfile")));

        var packages = facts.Packages();
        Assert.Equal(["com.google.guava:guava@32.1.3-jre", "junit:junit@4.13.2", "org.hamcrest:hamcrest-core@1.3"], packages.Ids());
        Assert.True(packages.Single(p => p.Name == "junit:junit").Dev);
        Assert.False(packages.Single(p => p.Name == "com.google.guava:guava").Dev);
    }
}
