using System.Text.Json;
using System.Xml.Linq;
using Pipeline.Analysis.Analyzers.Language.DotNet;
using Pipeline.Core.Analysis;
using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Analyzers.Language.DotNet;

public sealed class DotNetAnalyzerTests
{
    [Fact]
    public void Analyze_ThisTestProjectsDepsJson_PackagesAtCentralVersions()
    {
        var depsJson = Path.Combine(AppContext.BaseDirectory, "Pipeline.Analysis.Tests.deps.json");
        var central = XDocument.Load(Path.Combine(TestPaths.RepoRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion").ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);

        var facts = LanguageAnalyzerHarness.RunOne(new DotNetDepsAnalyzer(), "app/Pipeline.Analysis.Tests.deps.json", File.ReadAllBytes(depsJson));

        var packages = facts.Packages();
        Assert.Contains($"ZstdSharp.Port@{central["ZstdSharp.Port"]}", packages.Ids());
        Assert.Contains($"xunit.core@{central["xunit"]}", packages.Ids());
        Assert.DoesNotContain(packages, p => p.Name.StartsWith("Pipeline.", StringComparison.Ordinal));
        Assert.Equal($"pkg:nuget/ZstdSharp.Port@{central["ZstdSharp.Port"]}", packages.Single(p => p.Name == "ZstdSharp.Port").Purl);
        Assert.All(packages, p => Assert.Equal("nuget", p.Type));
    }

    [Fact]
    public void Analyze_LockFileWrittenByRestore_EqualsAssetsPackages()
    {
        var dir = LanguageAnalyzerHarness.Cached("nuget-lock-1", d =>
        {
            File.WriteAllText(Path.Combine(d, "app.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <RestorePackagesWithLockFile>true</RestorePackagesWithLockFile>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Azure.Storage.Queues" Version="12.28.1" />
                  </ItemGroup>
                </Project>
                """);
            Tool.Run("dotnet", ["restore", d], workingDirectory: d, timeout: TimeSpan.FromMinutes(5));
        });
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "obj", "project.assets.json")));
        var expected = assets.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(l => l.Value.GetProperty("type").GetString() == "package")
            .Select(l => l.Name.Replace('/', '@')).Order(StringComparer.Ordinal).ToList();
        Assert.Contains(expected, id => id.StartsWith("Azure.Core@", StringComparison.Ordinal));

        var facts = LanguageAnalyzerHarness.RunOne(new NuGetLockAnalyzer(), "packages.lock.json", File.ReadAllBytes(Path.Combine(dir, "packages.lock.json")));

        Assert.Equal(expected, facts.Packages().Ids());
    }

    [Fact]
    public void Analyze_PackagesConfigAndProject_ExactVersionsOnly()
    {
        var config = LanguageAnalyzerHarness.RunOne(new NuGetManifestAnalyzer(), "src/packages.config", File.ReadAllBytes(LanguageAnalyzerHarness.TestData("dotnet", "packages.config")));
        var project = LanguageAnalyzerHarness.RunOne(new NuGetManifestAnalyzer(), "src/App.csproj", File.ReadAllBytes(LanguageAnalyzerHarness.TestData("dotnet", "App.csproj")));

        Assert.Equal(["Newtonsoft.Json@13.0.3", "StyleCop.Analyzers@1.1.118"], config.Packages().Ids());
        Assert.True(config.Packages().Single(p => p.Name == "StyleCop.Analyzers").Dev);
        Assert.Equal(["Azure.Storage.Blobs@12.30.1", "Microsoft.SourceLink.GitHub@8.0.0", "Polly.Core@8.9.1"], project.Packages().Ids());
        Assert.True(project.Packages().Single(p => p.Name == "Microsoft.SourceLink.GitHub").Dev);
    }

    [Fact]
    public void Analyze_NotDepsJson_Throws() =>
        Assert.Throws<InvalidDataException>(() => LanguageAnalyzerHarness.RunOne(new DotNetDepsAnalyzer(), "a.deps.json", "{\"runtimeTarget\":{}}"u8.ToArray()));

    [Theory]
    [InlineData("app/MyApp.deps.json", true)]
    [InlineData("app/MyApp.runtimeconfig.json", false)]
    [InlineData("usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/Microsoft.NETCore.App.deps.json", true)]
    public void Wants_Path_DepsJson(string path, bool expected) =>
        Assert.Equal(expected, new DotNetDepsAnalyzer().Wants(new LayerEntry(path, 100, 0b110_100_100)));
}
