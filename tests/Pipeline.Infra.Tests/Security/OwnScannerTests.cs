using Pipeline.Core.Model;
using Pipeline.Iac;

namespace Pipeline.Infra.Tests.Security;

/// <summary>
/// A security product's own infrastructure must pass its own scanner: <c>pipeline scan iac infra</c> reports
/// nothing at medium or above, and our HCL parser reads every Terraform file.
/// </summary>
public sealed class OwnScannerTests
{
    [Fact]
    public async Task ScanIac_Infra_ReportsNothingAtMediumOrAbove()
    {
        var result = await new IacScanner(new IacScanOptions()).ScanAsync(Path.GetDirectoryName(InfraPaths.Bicep)!);

        Assert.Empty(result.Errors);
        var serious = result.Misconfigurations.Where(m => m.Severity >= Severity.Medium).Select(m => $"{m.RuleId} {m.File}:{m.StartLine} {m.Message}").ToList();
        Assert.True(serious.Count == 0, string.Join('\n', serious));
        var expected = InfraPaths.Files(InfraPaths.Terraform, "*.tf").Count() + InfraPaths.Files(InfraPaths.Bicep, "*.bicep").Count();
        Assert.True(result.FilesScanned >= expected, $"scanned {result.FilesScanned} of at least {expected} files");
    }

    public static IEnumerable<object[]> TerraformFiles() => InfraPaths.Files(InfraPaths.Terraform, "*.tf").Select(f => new object[] { Path.GetRelativePath(InfraPaths.Terraform, f) });

    [Theory]
    [MemberData(nameof(TerraformFiles))]
    public async Task HclParser_ReadsEveryTerraformFile(string file)
    {
        var result = await new IacScanner(new IacScanOptions()).ScanAsync(Path.Combine(InfraPaths.Terraform, file));

        Assert.Equal(1, result.FilesScanned);
        Assert.Empty(result.Errors);
        Assert.DoesNotContain(result.Misconfigurations, m => m.RuleId == IacScanner.ParseRuleId);
    }

    [Fact]
    public async Task ScanIac_WeakenedCopy_IsCaught()
    {
        var copy = Path.Combine(Path.GetTempPath(), "infra-weakened-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        var storage = File.ReadAllText(Path.Combine(InfraPaths.Terraform, "storage.tf"));
        Assert.Contains("min_tls_version", storage);
        File.WriteAllText(Path.Combine(copy, "storage.tf"), System.Text.RegularExpressions.Regex.Replace(storage, "min_tls_version\\s*=\\s*\"TLS1_2\"", "min_tls_version = \"TLS1_0\""));

        var result = await new IacScanner(new IacScanOptions()).ScanAsync(copy);

        Assert.Contains(result.Misconfigurations, m => m.Severity >= Severity.High && m.File == "storage.tf");
    }
}
