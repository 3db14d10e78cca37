using Pipeline.Core.Analysis;
using Pipeline.Secrets.Scanning;

namespace Pipeline.Secrets.Tests.Scanning;

public sealed class SecretAnalyzerTests
{
    private readonly SecretAnalyzer _analyzer = new(Fake.Scanner);

    [Fact]
    public void Wants_ByPathExtensionAndSize()
    {
        Assert.True(_analyzer.Wants(new LayerEntry("root/.aws/credentials", 120, 0b110_000_000)));
        Assert.False(_analyzer.Wants(new LayerEntry("usr/lib/libz.so.1", 120, 0b111_101_101)));
        Assert.False(_analyzer.Wants(new LayerEntry("app/big.txt", 11L * 1024 * 1024, 0b110_100_100)));
        Assert.False(_analyzer.Wants(new LayerEntry("app/empty", 0, 0b110_100_100)));
        Assert.Equal("secret", _analyzer.Type);
    }

    [Fact]
    public void Analyze_AwsCredentialsFile_AddsRedactedFindingsWithoutLayer()
    {
        var id = "AKIA" + Fake.Of(Fake.UpperAlnum, 16);
        var key = Fake.Of(Fake.Base64Chars, 40);
        var content = Fake.Utf8($"[default]\naws_access_key_id = {id}\naws_secret_access_key = {key}\n");
        var facts = new LayerAnalysis();

        _analyzer.Analyze(new LayerFile(new LayerEntry("root/.aws/credentials", content.Length, 0b110_000_000), content), facts);

        Assert.Equal(["aws-access-key-id", "aws-secret-access-key"], facts.Secrets.Select(s => s.RuleId));
        Assert.Equal([2, 3], facts.Secrets.Select(s => s.Line));
        Assert.All(facts.Secrets, s => Assert.Equal("root/.aws/credentials", s.Path));
        Assert.All(facts.Secrets, s => Assert.Null(s.Layer));
        var json = System.Text.Json.JsonSerializer.Serialize(facts, Pipeline.Core.PipelineJson.Options);
        Assert.DoesNotContain(id, json, StringComparison.Ordinal);
        Assert.DoesNotContain(key, json, StringComparison.Ordinal);
    }
}
