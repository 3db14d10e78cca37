using System.Text;
using Pipeline.Analysis.Analyzers.Language.Npm;
using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Analyzers.Language.Npm;

public sealed class YarnPnpmLockAnalyzerTests
{
    // The npm fixture's dependencies without the workspace, which each tool declares its own way.
    private const string PackageJson = """
        { "name": "lang-fixture", "version": "1.0.0", "private": true,
          "dependencies": { "debug": "4.3.4", "finalhandler": "1.2.0", "@types/ms": "0.7.34" },
          "devDependencies": { "isarray": "2.0.5" } }
        """;

    private static readonly Lazy<string> Locks = new(() => LanguageAnalyzerHarness.Cached("yarn-pnpm-locks-1", dir =>
    {
        var tools = Path.Combine(dir, "tools");
        Tool.Run("npm", ["install", "--prefix", tools, "--no-audit", "--no-fund", "yarn@1.22.22", "pnpm@9.15.9"], timeout: TimeSpan.FromMinutes(5));
        foreach (var (tool, args) in new[] { ("yarn", new[] { "install", "--ignore-scripts", "--no-progress", "--non-interactive" }), ("pnpm", ["install", "--lockfile-only"]) })
        {
            var project = Path.Combine(dir, tool);
            Directory.CreateDirectory(project);
            File.WriteAllText(Path.Combine(project, "package.json"), PackageJson);
            Tool.Run(Path.Combine(tools, "node_modules", ".bin", tool), args, workingDirectory: project, timeout: TimeSpan.FromMinutes(5));
        }
    }));

    [Fact]
    public void Analyze_YarnV1LockWrittenByYarn_SamePackagesAsNpm()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Locks.Value, "yarn", "yarn.lock"));
        Assert.Contains("# yarn lockfile v1", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

        var facts = LanguageAnalyzerHarness.RunOne(new YarnLockAnalyzer(), "yarn.lock", bytes);

        Assert.Equal(NpmFixture.NpmLsIds(), facts.Packages().Ids());
        Assert.Equal("pkg:npm/%40types/ms@0.7.34", facts.Packages().Single(p => p.Name == "@types/ms").Purl);
    }

    [Fact]
    public void Analyze_PnpmV9LockWrittenByPnpm_SamePackagesAsNpm()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Locks.Value, "pnpm", "pnpm-lock.yaml"));
        Assert.Contains("lockfileVersion: '9.0'", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

        var facts = LanguageAnalyzerHarness.RunOne(new PnpmLockAnalyzer(), "pnpm-lock.yaml", bytes);

        Assert.Equal(NpmFixture.NpmLsIds(), facts.Packages().Ids());
    }

    [Fact]
    public void Analyze_YarnBerryLock_NpmResolutionsOnly()
    {
        var facts = LanguageAnalyzerHarness.RunOne(new YarnLockAnalyzer(), "yarn.lock", File.ReadAllBytes(LanguageAnalyzerHarness.TestData("npm", "berry", "yarn.lock")));

        Assert.Equal(["@types/ms@0.7.34", "debug@4.3.4", "ms@2.1.2", "resolve@1.22.8"], facts.Packages().Ids());
    }

    [Fact]
    public void Analyze_PnpmV6Lock_SlashKeysPeersAndDev()
    {
        var facts = LanguageAnalyzerHarness.RunOne(new PnpmLockAnalyzer(), "pnpm-lock.yaml", File.ReadAllBytes(LanguageAnalyzerHarness.TestData("npm", "pnpm-v6", "pnpm-lock.yaml")));

        Assert.Equal(["@types/ms@0.7.34", "debug@4.3.4", "isarray@2.0.5", "ms@2.1.2"], facts.Packages().Ids());
        Assert.True(facts.Packages().Single(p => p.Name == "isarray").Dev);
        Assert.False(facts.Packages().Single(p => p.Name == "debug").Dev);
    }

    [Fact]
    public void Analyze_NotALock_Throws()
    {
        Assert.Throws<InvalidDataException>(() => LanguageAnalyzerHarness.RunOne(new YarnLockAnalyzer(), "yarn.lock", "# only a comment\n"u8.ToArray()));
        Assert.Throws<InvalidDataException>(() => LanguageAnalyzerHarness.RunOne(new PnpmLockAnalyzer(), "pnpm-lock.yaml", "packages:\n"u8.ToArray()));
    }
}
