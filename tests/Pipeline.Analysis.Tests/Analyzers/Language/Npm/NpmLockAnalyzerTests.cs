using System.Text;
using Pipeline.Analysis.Analyzers.Language.Npm;
using Pipeline.Core.Analysis;

namespace Pipeline.Analysis.Tests.Analyzers.Language.Npm;

public sealed class NpmLockAnalyzerTests
{
    [Theory]
    [InlineData("package-lock.json", 3)]
    [InlineData("v2/package-lock.json", 2)]
    [InlineData("v1/package-lock.json", 1)]
    public void Analyze_LockWrittenByNpm_EqualsNpmLs(string lockPath, int lockfileVersion)
    {
        var bytes = File.ReadAllBytes(Path.Combine(NpmFixture.Path, lockPath));
        Assert.Contains($"\"lockfileVersion\": {lockfileVersion}", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

        var facts = LanguageAnalyzerHarness.RunOne(new NpmLockAnalyzer(), lockPath, bytes);

        var packages = facts.Packages();
        Assert.Equal(NpmFixture.NpmLsIds(), packages.Ids());
        Assert.Equal(packages.Count, packages.Ids().Count);
        Assert.All(packages, p => Assert.Equal(lockPath, p.Path));
        Assert.DoesNotContain(packages, p => p.Name == "lang-fixture-tool");
    }

    [Theory]
    [InlineData("package-lock.json")]
    [InlineData("v2/package-lock.json")]
    [InlineData("v1/package-lock.json")]
    public void Analyze_LockWrittenByNpm_DevFlagOnlyOnDevDependency(string lockPath)
    {
        var facts = LanguageAnalyzerHarness.RunOne(new NpmLockAnalyzer(), lockPath, File.ReadAllBytes(Path.Combine(NpmFixture.Path, lockPath)));

        var dev = Assert.Single(facts.Packages(), p => p.Dev);
        Assert.Equal("isarray@2.0.5", dev.Name + "@" + dev.Version);
        Assert.Equal("pkg:npm/%40types/ms@0.7.34", Assert.Single(facts.Packages(), p => p.Name == "@types/ms").Purl);
    }

    [Fact]
    public void Analyze_HandWrittenV1WithAlias_UsesRealName()
    {
        // lockfileVersion 1 as documented for npm 5 and 6: "version": "npm:name@version" marks an alias.
        const string Lock = """
            {
              "name": "x", "version": "1.0.0", "lockfileVersion": 1, "requires": true,
              "dependencies": {
                "old-ms": { "version": "npm:ms@2.0.0", "resolved": "https://registry.npmjs.org/ms/-/ms-2.0.0.tgz" },
                "local": { "version": "file:../local" },
                "debug": { "version": "2.6.9", "requires": { "ms": "2.0.0" },
                  "dependencies": { "ms": { "version": "2.0.0" } } }
              }
            }
            """;
        var facts = LanguageAnalyzerHarness.RunOne(new NpmLockAnalyzer(), "package-lock.json", Encoding.UTF8.GetBytes(Lock));

        Assert.Equal(["debug@2.6.9", "ms@2.0.0"], facts.Packages().Ids());
    }

    [Fact]
    public void Analyze_DeeplyNestedV1_FailsFast()
    {
        var sb = new StringBuilder("{\"lockfileVersion\":1,\"dependencies\":");
        for (var i = 0; i < 100; i++)
        {
            sb.Append("{\"a\":{\"version\":\"1.0.0\",\"dependencies\":");
        }

        sb.Append("{}").Append('}', 201).Append('}');
        Assert.ThrowsAny<Exception>(() => LanguageAnalyzerHarness.RunOne(new NpmLockAnalyzer(), "package-lock.json", Encoding.UTF8.GetBytes(sb.ToString())));
    }

    [Fact]
    public void Analyze_NotALock_Throws() =>
        Assert.Throws<InvalidDataException>(() => LanguageAnalyzerHarness.RunOne(new NpmLockAnalyzer(), "package-lock.json", "{\"name\":\"x\"}"u8.ToArray()));

    [Theory]
    [InlineData("package-lock.json", true)]
    [InlineData("src/app/npm-shrinkwrap.json", true)]
    [InlineData("node_modules/x/package-lock.json", false)]
    [InlineData("package.json", false)]
    public void Wants_Path_LockFilesOutsideNodeModules(string path, bool expected) =>
        Assert.Equal(expected, new NpmLockAnalyzer().Wants(new LayerEntry(path, 100, 0b110_100_100)));
}
