using System.Text.Json;
using Pipeline.Core.Findings;
using Pipeline.Core.Model;
using Pipeline.Core.Reports;

namespace Pipeline.Reports.Tests;

public sealed class ReportWriterTests
{
    private static ScanReport Report() => new()
    {
        CreatedAt = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero),
        Artifact = new ArtifactInfo { Name = "registry.example/app:1.0", Digest = "sha256:" + new string('a', 64), Platform = "linux/amd64" },
        Os = new OsInfo { Family = "debian", Version = "12.5" },
        Packages =
        [
            new Package { Name = "zlib1g", Version = "1:1.2.13.dfsg-1", Type = "deb", Path = "var/lib/dpkg/status", Purl = "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1", Layer = "sha256:" + new string('1', 64) },
            new Package { Name = "lodash", Version = "4.17.20", Type = "npm", Path = "app/node_modules/lodash/package.json", Purl = "pkg:npm/lodash@4.17.20" },
            new Package { Name = "lodash", Version = "4.17.20", Type = "npm", Path = "srv/node_modules/lodash/package.json", Purl = "pkg:npm/lodash@4.17.20" },
        ],
        Vulnerabilities =
        [
            new VulnerabilityFinding { Id = "GHSA-35jh-r3h4-6jhm", Aliases = ["CVE-2021-23337"], Package = "lodash", PackageType = "npm", InstalledVersion = "4.17.20", FixedVersion = "4.17.21", Status = FixStatus.Fixed, Severity = Severity.High, Title = "Command Injection in lodash", Path = "app/node_modules/lodash/package.json" },
            new VulnerabilityFinding { Id = "GHSA-35jh-r3h4-6jhm", Aliases = ["CVE-2021-23337"], Package = "lodash", PackageType = "npm", InstalledVersion = "4.17.20", FixedVersion = "4.17.21", Status = FixStatus.Fixed, Severity = Severity.High, Title = "Command Injection in lodash", Path = "srv/node_modules/lodash/package.json" },
        ],
        Secrets = [new SecretFinding { RuleId = "github-pat", Title = "GitHub token", Severity = Severity.Critical, Path = "app/deploy.sh", Line = 3, Preview = "ghp_****1234", Fingerprint = "hmac-sha256:00" }],
        Misconfigurations = [new Misconfiguration { RuleId = "IMG001", Title = "Runs as root", Severity = Severity.High, Provider = "image", File = "config", Message = "The image sets no USER." }],
    };

    [Fact]
    public void Sarif_OneRulePerAdvisoryAndEveryResultLocated()
    {
        using var json = JsonDocument.Parse(ReportWriter.ToText([Report()], ReportFormat.Sarif));

        var run = json.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(["GHSA-35jh-r3h4-6jhm", "secret/github-pat", "IMG001"], rules);
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(4, results.Count);
        Assert.Equal(
            ["app/node_modules/lodash/package.json", "srv/node_modules/lodash/package.json", "app/deploy.sh", "config"],
            results.Select(r => r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()));
        Assert.Equal(3, results[2].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.All(results, r => Assert.Equal("error", r.GetProperty("level").GetString()));
    }

    [Fact]
    public void CycloneDx_UniqueRefsAndVulnerabilitiesAffectEachCopy()
    {
        using var json = JsonDocument.Parse(ReportWriter.ToText([Report()], ReportFormat.CycloneDx));

        var root = json.RootElement;
        Assert.Equal("CycloneDX", root.GetProperty("bomFormat").GetString());
        Assert.Equal("1.6", root.GetProperty("specVersion").GetString());
        var refs = root.GetProperty("components").EnumerateArray().Select(c => c.GetProperty("bom-ref").GetString()!).ToList();
        Assert.Equal(refs.Count, refs.Distinct().Count());
        var vuln = Assert.Single(root.GetProperty("vulnerabilities").EnumerateArray());
        Assert.Equal(2, vuln.GetProperty("affects").GetArrayLength());
        Assert.All(vuln.GetProperty("affects").EnumerateArray(), a => Assert.Contains(a.GetProperty("ref").GetString(), refs));
        Assert.Equal("high", vuln.GetProperty("ratings")[0].GetProperty("severity").GetString());
        Assert.Equal("Upgrade lodash to 4.17.21", vuln.GetProperty("recommendation").GetString());
    }

    [Fact]
    public void Table_SummarizesAndListsEachKind()
    {
        var text = ReportWriter.ToText([Report()], ReportFormat.Table);

        Assert.Contains("OS: debian 12.5", text);
        Assert.Contains("Vulnerabilities: 2 (HIGH: 2)", text);
        Assert.Contains("Secrets: 1 (CRITICAL: 1)", text);
        Assert.Contains("GHSA-35jh-r3h4-6jhm", text);
        Assert.Contains("ghp_****1234", text);
        Assert.Contains("IMG001", text);
    }

    [Fact]
    public void Json_SeveralPlatformsBecomeResults()
    {
        var arm = Report();
        arm.Artifact.Platform = "linux/arm64";
        using var json = JsonDocument.Parse(ReportWriter.ToText([Report(), arm], ReportFormat.Json));

        Assert.Equal(["linux/amd64", "linux/arm64"], json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("artifact").GetProperty("platform").GetString()));
    }
}
