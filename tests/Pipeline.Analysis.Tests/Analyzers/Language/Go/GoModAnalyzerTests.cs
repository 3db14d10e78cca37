using System.Text.Json;
using Pipeline.Analysis.Analyzers.Language.Go;
using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Analyzers.Language.Go;

public sealed class GoModAnalyzerTests
{
    [Fact]
    public void Analyze_OwnGoMod_ReplacementApplied()
    {
        var facts = LanguageAnalyzerHarness.RunOne(new GoModAnalyzer(), "src/go.mod", File.ReadAllBytes(Path.Combine(GoFixture.Path, "src", "go.mod")));

        Assert.Equal(["example.com/greet@v1.2.3", "example.com/new@v1.1.0"], facts.Packages().Ids());
    }

    [Fact]
    public void Analyze_DebianShippedGoMod_EqualsGoModEditJson()
    {
        var dir = DebianDebs.Extract("golang-github-spf13-cobra-dev");
        var goMod = Directory.GetFiles(Path.Combine(dir, "root"), "go.mod", SearchOption.AllDirectories).Single(p => p.Contains("spf13/cobra", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(Tool.Run("go", ["mod", "edit", "-json", goMod]));
        var expected = json.RootElement.GetProperty("Require").EnumerateArray()
            .Select(r => r.GetProperty("Path").GetString() + "@" + r.GetProperty("Version").GetString())
            .Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);

        var facts = LanguageAnalyzerHarness.RunOne(new GoModAnalyzer(), "go.mod", File.ReadAllBytes(goMod));

        Assert.Equal(expected, facts.Packages().Ids());
        Assert.Contains(facts.Packages(), p => p.Purl == "pkg:golang/github.com/spf13/pflag@" + p.Version && p.Name == "github.com/spf13/pflag");
    }

    [Fact]
    public void Analyze_NotGoMod_Throws() =>
        Assert.Throws<InvalidDataException>(() => LanguageAnalyzerHarness.RunOne(new GoModAnalyzer(), "go.mod", "hello world\n"u8.ToArray()));
}
