namespace Pipeline.Iac.Tests.Engine;

/// <summary>Every fixture cut short at many points must scan without throwing: a located error or findings, never a crash.</summary>
public sealed class TruncatedInputTests
{
    [Fact]
    public async Task ScanAsync_TruncatedFixtures_NeverThrow()
    {
        var fixtures = Directory.GetFiles(IacTestData.Path("rules"), "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("expect.txt", StringComparison.Ordinal) && !f.EndsWith(".bicep", StringComparison.Ordinal))
            .Where((_, i) => i % 3 == 0)
            .ToList();
        var scanner = new IacScanner(new IacScanOptions());
        var scanned = 0;
        foreach (var fixture in fixtures)
        {
            var text = await File.ReadAllTextAsync(fixture);
            foreach (var cut in new[] { text.Length / 4, text.Length / 2, text.Length * 3 / 4, text.Length - 2 })
            {
                var dir = IacTestData.WriteFiles(new Dictionary<string, string> { [Path.GetFileName(fixture)] = text[..Math.Max(cut, 0)] });
                var result = await scanner.ScanAsync(dir);
                Assert.All(result.Misconfigurations.Where(m => m.RuleId == IacScanner.ParseRuleId), m => Assert.True(m.StartLine >= 1 && !m.Message.StartsWith("internal error", StringComparison.Ordinal), m.Message));
                scanned++;
            }
        }

        Assert.True(scanned > 200);
    }

    [Theory]
    [InlineData("main.tf")]
    [InlineData("stack.cfn.yaml")]
    [InlineData("deploy.k8s.yaml")]
    [InlineData("arm.json")]
    [InlineData("Dockerfile")]
    public async Task ScanAsync_RandomSyntaxSoup_NeverThrows(string name)
    {
        const string alphabet = "abc_ \n\t\"'{}[]()=:,.$%~<>!&|?*+-/#0123456789-\\";
        var random = new Random(1234);
        var scanner = new IacScanner(new IacScanOptions());
        var prefix = name switch
        {
            "stack.cfn.yaml" => "AWSTemplateFormatVersion: x\n",
            "deploy.k8s.yaml" => "apiVersion: v1\nkind: Pod\n",
            "arm.json" => "{\"$schema\": \"deploymentTemplate\", ",
            _ => string.Empty,
        };
        for (var i = 0; i < 300; i++)
        {
            var chars = Enumerable.Range(0, random.Next(1, 400)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
            var dir = IacTestData.WriteFiles(new Dictionary<string, string> { [name] = prefix + new string(chars) });
            var result = await scanner.ScanAsync(dir);
            Assert.All(result.Misconfigurations.Where(m => m.RuleId == IacScanner.ParseRuleId), m => Assert.True(m.StartLine >= 1 && !m.Message.StartsWith("internal error", StringComparison.Ordinal), m.Message));
        }
    }
}
