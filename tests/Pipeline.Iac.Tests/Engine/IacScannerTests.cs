using System.IO.Compression;

namespace Pipeline.Iac.Tests.Engine;

public sealed class IacScannerTests
{
    [Fact]
    public async Task ScanAsync_SyntaxErrorInOneFile_ReportsLocatedParseFindingAndScansTheOthers()
    {
        var dir = IacTestData.WriteFiles(new Dictionary<string, string>
        {
            ["broken/main.tf"] = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  acl = [\n}\n",
            ["ok/main.tf"] = "resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"a\"\n}\n",
            ["k8s/bad.yaml"] = "apiVersion: v1\nkind: Pod\nspec: [unclosed\n",
            ["Dockerfile"] = "FROM alpine:3.20\nUSER 1000\nHEALTHCHECK CMD true\n",
        });
        var result = await new IacScanner(new IacScanOptions()).ScanAsync(dir);
        var tf = Assert.Single(result.Misconfigurations, m => m.RuleId == IacScanner.ParseRuleId && m.File == "broken/main.tf");
        Assert.Equal(4, tf.StartLine);
        var yaml = Assert.Single(result.Misconfigurations, m => m.RuleId == IacScanner.ParseRuleId && m.File == "k8s/bad.yaml");
        Assert.True(yaml.StartLine >= 3);
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Misconfigurations, m => m.RuleId == "AWS-EBS-001" && m.File == "ok/main.tf");
        Assert.Equal(4, result.FilesScanned);
    }

    [Fact]
    public async Task ScanAsync_FileOverTheSizeLimit_IsReportedNotParsed()
    {
        var dir = IacTestData.WriteFiles(new Dictionary<string, string> { ["big.tf"] = "# " + new string('x', 4096) + "\n" });
        var result = await new IacScanner(new IacScanOptions { MaxFileBytes = 1024 }).ScanAsync(dir);
        var error = Assert.Single(result.Errors);
        Assert.Equal("big.tf", error.Path);
        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, result.FilesScanned);
    }

    [Fact]
    public async Task ScanAsync_Zip_ReadsEntriesInMemoryAndRefusesEscapingNames()
    {
        var dir = Pipeline.TestKit.TestPaths.NewTempDir("iac-zip");
        var zipPath = Path.Combine(dir, "upload.zip");
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            void Add(string name, string text)
            {
                using var w = new StreamWriter(zip.CreateEntry(name).Open());
                w.Write(text);
            }

            Add("infra/main.tf", "resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"a\"\n}\n");
            Add("../../evil.tf", "resource \"aws_ebs_volume\" \"evil\" {}\n");
            Add("/abs/evil.tf", "resource \"aws_ebs_volume\" \"evil2\" {}\n");
            Add("node_modules/x/main.tf", "resource \"aws_ebs_volume\" \"skipped\" {}\n");
        }

        var result = await new IacScanner(new IacScanOptions()).ScanAsync(zipPath);
        var finding = Assert.Single(result.Misconfigurations);
        Assert.Equal("infra/main.tf", finding.File);
        Assert.Equal(2, result.Errors.Count(e => e.Message.Contains("escapes", StringComparison.Ordinal)));
        Assert.False(File.Exists(Path.Combine(dir, "..", "..", "evil.tf")));
    }

    [Fact]
    public async Task ScanAsync_ZipBomb_IsBoundedByTotalBytes()
    {
        var dir = Pipeline.TestKit.TestPaths.NewTempDir("iac-bomb");
        var zipPath = Path.Combine(dir, "bomb.zip");
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            for (var i = 0; i < 3; i++)
            {
                using var s = zip.CreateEntry($"f{i}.tf", CompressionLevel.Optimal).Open();
                var chunk = new byte[1024 * 1024];
                Array.Fill(chunk, (byte)'#');
                for (var j = 0; j < 4; j++)
                {
                    s.Write(chunk);
                }
            }
        }

        Assert.True(new FileInfo(zipPath).Length < 200_000);
        var result = await new IacScanner(new IacScanOptions { MaxZipBytes = 6 * 1024 * 1024, MaxFileBytes = 5 * 1024 * 1024 }).ScanAsync(zipPath);
        Assert.Contains(result.Errors, e => e.Message.Contains("expands past", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScanAsync_YamlBillionLaughs_IsRefusedAsAParseError()
    {
        var lines = new List<string> { "apiVersion: v1", "kind: ConfigMap", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]" };
        for (var i = 1; i < 10; i++)
        {
            lines.Add($"a{i}: &a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9)) + "]");
        }

        var dir = IacTestData.WriteFiles(new Dictionary<string, string> { ["laughs.yaml"] = string.Join("\n", lines) + "\n" });
        var result = await new IacScanner(new IacScanOptions()).ScanAsync(dir);
        var parse = Assert.Single(result.Misconfigurations);
        Assert.Equal(IacScanner.ParseRuleId, parse.RuleId);
        Assert.Contains("aliases", parse.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanAsync_DeeplyNestedJson_IsBounded()
    {
        var json = "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": " + string.Concat(Enumerable.Repeat("{\"a\":", 500)) + "1" + new string('}', 500) + "}";
        var dir = IacTestData.WriteFiles(new Dictionary<string, string> { ["deep.json"] = json });
        var result = await new IacScanner(new IacScanOptions()).ScanAsync(dir);
        Assert.Contains(result.Misconfigurations, m => m.RuleId == IacScanner.ParseRuleId && m.Message.Contains("nesting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScanAsync_MissingPath_Throws()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => new IacScanner(new IacScanOptions()).ScanAsync("/nonexistent/path/x"));
    }

    [Fact]
    public async Task ScanAsync_SkipRuleIds_MovesFindingsToSuppressed()
    {
        var dir = IacTestData.WriteFiles(new Dictionary<string, string> { ["main.tf"] = "resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"a\"\n}\n" });
        var result = await new IacScanner(new IacScanOptions { SkipRuleIds = new HashSet<string> { "AWS-EBS-001" } }).ScanAsync(dir);
        Assert.Empty(result.Misconfigurations);
        Assert.Equal("policy: rule skipped", Assert.Single(result.Suppressed).SuppressedBy);
    }

    [Fact]
    public void SafeEntryName_NormalizesAndRejects()
    {
        Assert.Equal("a/b.tf", Pipeline.Iac.Engine.IacFileSource.SafeEntryName("a\\./b.tf"));
        Assert.Null(Pipeline.Iac.Engine.IacFileSource.SafeEntryName("a/../../b.tf"));
        Assert.Null(Pipeline.Iac.Engine.IacFileSource.SafeEntryName("C:/x.tf"));
    }
}

public sealed class IacScannerBoundsTests
{
    [Fact]
    public async Task ScanAsync_LongLocalChainAndHugeCounts_StayBounded()
    {
        var sb = new System.Text.StringBuilder("locals {\n");
        for (var i = 0; i < 5000; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  l{i} = local.l{i + 1}\n");
        }

        sb.Append("  l5000 = true\n}\n");
        sb.Append("resource \"aws_ebs_volume\" \"chain\" {\n  availability_zone = \"a\"\n  encrypted = local.l0\n}\n");
        for (var i = 0; i < 200; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"resource \"aws_sns_topic\" \"t{i}\" {{\n  count = 1000000\n  name = \"t\"\n}}\n");
        }

        var dir = IacTestData.WriteFiles(new Dictionary<string, string> { ["main.tf"] = sb.ToString() });
        var result = await new IacScanner(new IacScanOptions()).ScanAsync(dir);

        // The chain is cut to unknown (no EBS finding either way); instance expansion stops at the scan's budget.
        Assert.DoesNotContain(result.Misconfigurations, m => m.RuleId == "AWS-EBS-001");
        Assert.Equal(100_000, result.Misconfigurations.Count(m => m.RuleId == "AWS-SNS-001"));
    }
}

public sealed class IacScannerRecognitionTests
{
    [Fact]
    public async Task ScanAsync_HelmTemplateAndUnrelatedFiles_AreNotParsedAsIac()
    {
        var dir = IacTestData.WriteFiles(new Dictionary<string, string>
        {
            ["chart/templates/deploy.yaml"] = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
            ["package.json"] = "{ \"name\": \"x\", \"version\": \"1.0.0\" }",
            [".github/workflows/ci.yml"] = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n",
            ["cfn.yaml"] = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: '{{resolve:secretsmanager:db}}'\n      StorageEncrypted: true\n      BackupRetentionPeriod: 7\n      DeletionProtection: true\n",
        });
        var result = await new IacScanner(new IacScanOptions()).ScanAsync(dir);
        Assert.Empty(result.Errors);
        Assert.Equal(1, result.FilesScanned);
        Assert.Empty(result.Misconfigurations);
    }
}
