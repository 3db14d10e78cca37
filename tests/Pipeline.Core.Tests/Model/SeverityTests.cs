using System.Text.Json;
using Pipeline.Core.Findings;
using Pipeline.Core.Model;

namespace Pipeline.Core.Tests.Model;

public sealed class SeverityTests
{
    [Theory]
    [InlineData("critical", Severity.Critical)]
    [InlineData("HIGH", Severity.High)]
    [InlineData(" Moderate ", Severity.Medium)]
    [InlineData("important", Severity.High)]
    [InlineData("low", Severity.Low)]
    public void TryParse_AcceptsTheNamesEcosystemsUse(string text, Severity expected)
    {
        Assert.True(SeverityNames.TryParse(text, out var s));
        Assert.Equal(expected, s);
    }

    [Theory]
    [InlineData("")]
    [InlineData("severe")]
    [InlineData(null)]
    public void TryParse_RefusesOthers(string? text) => Assert.False(SeverityNames.TryParse(text, out _));

    [Fact]
    public void Json_SeverityUpperCaseAndStatusLowerCase()
    {
        var finding = new VulnerabilityFinding { Id = "CVE-1", Package = "p", PackageType = "deb", InstalledVersion = "1", Severity = Severity.High, Status = FixStatus.Affected };

        var json = JsonSerializer.Serialize(finding, PipelineJson.Options);

        Assert.Contains("\"severity\": \"HIGH\"", json);
        Assert.Contains("\"status\": \"affected\"", json);
        Assert.Equal(Severity.High, JsonSerializer.Deserialize<VulnerabilityFinding>(json, PipelineJson.Options)!.Severity);
    }
}
