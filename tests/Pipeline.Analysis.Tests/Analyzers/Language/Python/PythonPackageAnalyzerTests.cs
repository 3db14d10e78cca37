using System.Text;
using Pipeline.Analysis.Analyzers.Language.Python;
using Pipeline.Core.Analysis;

namespace Pipeline.Analysis.Tests.Analyzers.Language.Python;

public sealed class PythonPackageAnalyzerTests
{
    private static readonly string[] Debs = ["python3-six", "python3-urllib3", "python3-packaging", "python3-typing-extensions"];

    [Fact]
    public void Analyze_DebianPythonPackages_NameAndUpstreamVersion()
    {
        var dir = DebianDebs.Extract(Debs);

        var facts = LanguageAnalyzerHarness.Run(Path.Combine(dir, "root"), new PythonPackageAnalyzer());

        Assert.Empty(facts.Errors);
        var expected = new[]
        {
            "packaging@" + DebianDebs.UpstreamVersion(dir, "python3-packaging"),
            "six@" + DebianDebs.UpstreamVersion(dir, "python3-six"),
            "typing_extensions@" + DebianDebs.UpstreamVersion(dir, "python3-typing-extensions"),
            "urllib3@" + DebianDebs.UpstreamVersion(dir, "python3-urllib3"),
        };
        Assert.Equal(expected, facts.Packages().Ids());
    }

    [Fact]
    public void Analyze_DebianPythonPackages_PurlPathAndLicense()
    {
        var dir = DebianDebs.Extract(Debs);

        var packages = LanguageAnalyzerHarness.Run(Path.Combine(dir, "root"), new PythonPackageAnalyzer()).Packages();

        var six = Assert.Single(packages, p => p.Name == "six");
        Assert.Equal("usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO", six.Path);
        Assert.Equal("pkg:pypi/six@1.16.0", six.Purl);
        Assert.Equal(["MIT"], six.Licenses);
        var typing = Assert.Single(packages, p => p.Name == "typing_extensions");
        Assert.Equal($"pkg:pypi/typing-extensions@{typing.Version}", typing.Purl);
        Assert.EndsWith(".dist-info/METADATA", typing.Path, StringComparison.Ordinal);
        Assert.All(packages, p => Assert.Equal("pypi", p.Type));
    }

    [Fact]
    public void Analyze_EggInfoFileWithClassifierLicense_Read()
    {
        const string Text = "Metadata-Version: 1.1\nName: Foo.Bar_baz\nVersion: 2.0\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: BSD License\n\nbody\nName: other\n";

        var facts = LanguageAnalyzerHarness.RunOne(new PythonPackageAnalyzer(), "usr/lib/python3/dist-packages/Foo.Bar_baz-2.0.egg-info", Encoding.UTF8.GetBytes(Text));

        var p = Assert.Single(facts.Packages());
        Assert.Equal("Foo.Bar_baz", p.Name);
        Assert.Equal("pkg:pypi/foo-bar-baz@2.0", p.Purl);
        Assert.Equal(["BSD License"], p.Licenses);
    }

    [Fact]
    public void Analyze_NotMetadata_Throws() =>
        Assert.Throws<InvalidDataException>(() => LanguageAnalyzerHarness.RunOne(new PythonPackageAnalyzer(), "x.dist-info/METADATA", "garbage\x00\x01"u8.ToArray()));

    [Theory]
    [InlineData("usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO", true)]
    [InlineData("usr/lib/python3.11/site-packages/pip-23.0.dist-info/METADATA", true)]
    [InlineData("usr/lib/python3/dist-packages/foo-1.0.egg-info", true)]
    [InlineData("usr/lib/python3/dist-packages/foo.egg/EGG-INFO/PKG-INFO", true)]
    [InlineData("usr/lib/python3/dist-packages/six-1.16.0.egg-info/top_level.txt", false)]
    [InlineData("usr/lib/python3/dist-packages/pip-23.0.dist-info/RECORD", false)]
    public void Wants_Path_MetadataFilesOnly(string path, bool expected) =>
        Assert.Equal(expected, new PythonPackageAnalyzer().Wants(new LayerEntry(path, 100, 0b110_100_100)));
}
