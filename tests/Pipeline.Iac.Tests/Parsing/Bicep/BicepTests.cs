using Pipeline.Iac.Parsing.Bicep;

namespace Pipeline.Iac.Tests.Parsing.Bicep;

/// <summary>Runs the real Bicep CLI restored from the Azure.Bicep.CommandLine.linux-x64 package.</summary>
public sealed class BicepTests
{
    [Fact]
    public void Locate_FindsTheRestoredCli()
    {
        var bicep = BicepCompiler.Locate(new IacScanOptions());
        Assert.NotNull(bicep);
        Assert.True(File.Exists(bicep), bicep);
    }

    [Fact]
    public void Scan_BicepFile_CompilesScansAndMapsFindingsBackToTheBicepSource()
    {
        var result = IacTestData.Scan(IacTestData.Path("bicep", "main.bicep"));
        Assert.Empty(result.Errors);
        var tls = Assert.Single(result.Misconfigurations, m => m.RuleId == "AZ-STORAGE-001");
        Assert.Equal("main.bicep", tls.File);
        Assert.Equal((11, 11), (tls.StartLine, tls.EndLine));
        Assert.False(tls.Defaulted);

        // A setting left out is reported on the resource declaration, as a default of that API version.
        var network = Assert.Single(result.Misconfigurations, m => m.RuleId == "AZ-KV-003");
        Assert.Equal((17, 27), (network.StartLine, network.EndLine));
        Assert.True(network.Defaulted);

        // The comment above the declaration suppresses the purge-protection finding.
        Assert.Contains(result.Suppressed, s => s.RuleId == "AZ-KV-001" && s.SuppressedBy!.Contains("short-lived", StringComparison.Ordinal));
    }

    [Fact]
    public void Scan_BicepSyntaxError_IsALocatedParseFinding()
    {
        var result = IacTestData.Scan(IacTestData.Path("bicep", "broken.bicep"));
        var parse = Assert.Single(result.Misconfigurations);
        Assert.Equal(IacScanner.ParseRuleId, parse.RuleId);
        Assert.Equal("broken.bicep", parse.File);
        Assert.True(parse.StartLine >= 3, parse.Message);
    }

    [Fact]
    public void Scan_SecureStorageAndNsgRule_OnlyTheOpenSshRuleIsReportedOnTheNsgDeclaration()
    {
        var result = IacTestData.Scan(IacTestData.Path("bicep", "secure.bicep"));
        Assert.Empty(result.Errors);
        Assert.DoesNotContain(result.Misconfigurations, m => m.RuleId.StartsWith("AZ-STORAGE", StringComparison.Ordinal));
        var ssh = Assert.Single(result.Misconfigurations, m => m.RuleId.StartsWith("AZ-NSG", StringComparison.Ordinal));
        Assert.Equal("AZ-NSG-001", ssh.RuleId);
        Assert.Equal("secure.bicep", ssh.File);
        Assert.Equal(47, ssh.StartLine);
    }

    [Fact]
    public void Scan_DirectoryWithModules_ReportsEachModuleResourceOnceInItsOwnFileWithTheValuesItsParentPasses()
    {
        var result = IacTestData.Scan(IacTestData.Path("bicep-modules"));
        Assert.Empty(result.Errors);
        Assert.Equal(5, result.FilesScanned);

        // One storage module used twice: only the instance given TLS1_0 is reported, on the module's own line.
        var tls = Assert.Single(result.Misconfigurations, m => m.RuleId == "AZ-STORAGE-001");
        Assert.Equal(("modules/storage.bicep", 13), (tls.File, tls.StartLine));
        Assert.StartsWith("Microsoft.Storage/storageAccounts/legacy", tls.Resource, StringComparison.Ordinal);

        // A module of a module: the vault's purge protection is turned off two levels up.
        var purge = Assert.Single(result.Misconfigurations, m => m.RuleId == "AZ-KV-001");
        Assert.Equal(("modules/inner/vault.bicep", 9), (purge.File, purge.StartLine));

        // A file no other file uses is scanned on its own; nothing is reported twice or at lines main.bicep lacks.
        Assert.Contains(result.Misconfigurations, m => m.RuleId == "AZ-KV-003" && m.File == "standalone.bicep");
        Assert.DoesNotContain(result.Misconfigurations, m => m.File == "main.bicep");
        Assert.Equal(result.Misconfigurations.Count, result.Misconfigurations.Select(m => (m.RuleId, m.Resource)).Distinct().Count());
    }

    [Fact]
    public void Scan_FileWhoseModulesAreOutsideTheScan_ReportsModuleResourcesAtTheModuleDeclaration()
    {
        var result = IacTestData.Scan(IacTestData.Path("bicep-modules", "main.bicep"));
        Assert.Empty(result.Errors);
        var tls = Assert.Single(result.Misconfigurations, m => m.RuleId == "AZ-STORAGE-001");
        Assert.Equal(("main.bicep", 4), (tls.File, tls.StartLine));
        var purge = Assert.Single(result.Misconfigurations, m => m.RuleId == "AZ-KV-001");
        Assert.Equal(("main.bicep", 21), (purge.File, purge.StartLine));
    }

    [Theory]
    [InlineData("main.bicep", "./modules/storage.bicep", "modules/storage.bicep")]
    [InlineData("modules/app.bicep", "../shared/x.bicep", "shared/x.bicep")]
    [InlineData("main.bicep", "../outside.bicep", null)]
    [InlineData("main.bicep", "br:contoso.azurecr.io/bicep/storage:v1", null)]
    [InlineData("main.bicep", "br/public:avm/res/storage/storage-account:0.9.0", null)]
    [InlineData("main.bicep", "./template.json", null)]
    public void ModuleSources_ResolveOnlyToLocalBicepFilesInsideTheScan(string from, string source, string? expected) =>
        Assert.Equal(expected, BicepModules.Resolve(from, source));
}
