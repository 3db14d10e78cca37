using Pipeline.Core.Findings;
using Pipeline.Core.Model;
using Pipeline.Core.Reports;
using Pipeline.TestKit;

namespace Pipeline.Policy.Tests;

public sealed class ScanPolicyTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [Fact]
    public void Apply_SeverityList_DropsOthersAndVerdictFollowsRemaining()
    {
        var policy = new ScanPolicy { Severities = [Severity.Critical, Severity.High] };

        var result = policy.Apply(Report(Vuln("CVE-1", Severity.Low), Vuln("CVE-2", Severity.High)), Today);

        Assert.Equal(["CVE-2"], result.Vulnerabilities.Select(v => v.Id));
        Assert.Null(result.Suppressed);
        Assert.Equal("fail", result.Verdict);
        Assert.Equal(3, ScanPolicy.ExitCode(result, 3));
    }

    [Fact]
    public void Apply_IgnoreUnfixed_DropsAffectedWithoutFix()
    {
        var policy = new ScanPolicy { IgnoreUnfixed = true };

        var result = policy.Apply(Report(Vuln("CVE-1", Severity.High, fixedVersion: null)), Today);

        Assert.Empty(result.Vulnerabilities);
        Assert.Equal("pass", result.Verdict);
        Assert.Equal(0, ScanPolicy.ExitCode(result, 3));
    }

    [Fact]
    public void Apply_TrivyIgnoreWithExpiry_ActiveSuppressesExpiredNot()
    {
        var entries = IgnoreFile.ParseLines(
            """
            # Accepted until the base image moves to trixie
            CVE-2023-45853 exp:2026-12-31
            CVE-2011-3374 exp:2026-11-22
            CVE-2024-0001 # not shipped in our build
            """,
            ".trivyignore");
        var policy = new ScanPolicy { Ignores = entries };

        var result = policy.Apply(Report(Vuln("DEBIAN-CVE-2023-45853", Severity.Critical, aliases: ["CVE-2023-45853"]), Vuln("CVE-2011-3374", Severity.Low), Vuln("CVE-2024-0001", Severity.Medium)), Today);

        Assert.Equal(["CVE-2011-3374"], result.Vulnerabilities.Select(v => v.Id));
        var suppressed = result.Suppressed!.Vulnerabilities;
        Assert.Equal(["DEBIAN-CVE-2023-45853", "CVE-2024-0001"], suppressed.Select(v => v.Id));
        Assert.Equal("ignored by .trivyignore: Accepted until the base image moves to trixie", suppressed[0].SuppressedBy);
        Assert.Equal("ignored by .trivyignore: not shipped in our build", suppressed[1].SuppressedBy);
    }

    [Fact]
    public void Apply_ExpiryDayItself_StillSuppresses()
    {
        var policy = new ScanPolicy { Ignores = IgnoreFile.ParseLines("CVE-1 exp:2026-11-23", ".pipelineignore") };
        Assert.Empty(policy.Apply(Report(Vuln("CVE-1", Severity.High)), Today).Vulnerabilities);
        Assert.Single(policy.Apply(Report(Vuln("CVE-1", Severity.High)), Today.AddDays(1)).Vulnerabilities);
    }

    [Fact]
    public void Apply_TrivyIgnoreYaml_PathsPurlsAndKinds()
    {
        var entries = IgnoreFile.ParseYaml(
            """
            vulnerabilities:
              - id: CVE-2022-40897
                paths: ["usr/local/lib/python3.9/site-packages/**"]
                statement: Accept the risk
              - id: CVE-2023-3446
                purls: ["pkg:deb/debian/libssl3"]
                expired_at: 2027-01-01
            misconfigurations:
              - id: AVD-DS-0002
                paths: ["docs/Dockerfile"]
                statement: The image needs root privileges
            secrets:
              - id: aws-access-key-id
            """,
            ".trivyignore.yaml");
        var report = Report(
            Vuln("CVE-2022-40897", Severity.Medium, path: "usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA"),
            Vuln("CVE-2022-40897", Severity.Medium, path: "app/venv/setuptools/METADATA"),
            Vuln("CVE-2023-3446", Severity.Low, purl: "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12"),
            Vuln("CVE-2023-3446", Severity.Low, purl: "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64"));
        report.Misconfigurations.Add(new Misconfiguration { RuleId = "AVD-DS-0002", Title = "root", Provider = "dockerfile", File = "docs/Dockerfile", Message = "USER root", Severity = Severity.High });
        report.Misconfigurations.Add(new Misconfiguration { RuleId = "AVD-DS-0002", Title = "root", Provider = "dockerfile", File = "Dockerfile", Message = "USER root", Severity = Severity.High });
        report.Secrets.Add(new SecretFinding { RuleId = "aws-access-key-id", Path = "app/.env", Preview = "AKIA****MPLE", Fingerprint = "f1", Severity = Severity.Critical });

        var result = new ScanPolicy { Ignores = entries }.Apply(report, Today);

        // Outside the ignored path, and a purl the entry does not name: both still reported.
        Assert.Equal(
            ["CVE-2022-40897 app/venv/setuptools/METADATA", "CVE-2023-3446 pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64"],
            result.Vulnerabilities.Select(v => v.Id + " " + (v.Purl ?? v.Path)));
        Assert.Equal("ignored by .trivyignore.yaml: Accept the risk", result.Suppressed!.Vulnerabilities[0].SuppressedBy);
        Assert.Equal(["Dockerfile"], result.Misconfigurations.Select(m => m.File));
        Assert.Equal("ignored by .trivyignore.yaml: The image needs root privileges", result.Suppressed.Misconfigurations[0].SuppressedBy);
        Assert.Empty(result.Secrets);
        Assert.Single(result.Suppressed.Secrets);
    }

    [Fact]
    public void Apply_OpenVex_NotAffectedSuppressesWithJustification()
    {
        var vex = VexDocument.Parse(
            """
            {
              "@context": "https://openvex.dev/ns/v0.2.0",
              "@id": "https://example.com/vex/1",
              "author": "Security Team",
              "timestamp": "2026-11-01T00:00:00Z",
              "version": 1,
              "statements": [
                {
                  "vulnerability": {"name": "CVE-2021-44228"},
                  "products": [{"@id": "pkg:oci/app@sha256%3Aabc", "subcomponents": [{"@id": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}]}],
                  "status": "not_affected",
                  "justification": "vulnerable_code_not_in_execute_path",
                  "impact_statement": "JNDI lookups are disabled"
                },
                {
                  "vulnerability": {"name": "CVE-2023-32681"},
                  "products": [{"@id": "pkg:pypi/requests"}],
                  "status": "under_investigation"
                }
              ]
            }
            """,
            "app.vex.json");
        var report = Report(
            Vuln("GHSA-jfh8-c2jp-5v3q", Severity.Critical, aliases: ["CVE-2021-44228"], purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"),
            Vuln("GHSA-j8r2-6x86-q33q", Severity.Medium, aliases: ["CVE-2023-32681"], purl: "pkg:pypi/requests@2.28.1"));

        var result = new ScanPolicy { Vex = vex, FailOn = Severity.High }.Apply(report, Today);

        Assert.Equal(["GHSA-j8r2-6x86-q33q"], result.Vulnerabilities.Select(v => v.Id));
        Assert.Equal("vex: not_affected (vulnerable_code_not_in_execute_path): JNDI lookups are disabled", result.Suppressed!.Vulnerabilities.Single().SuppressedBy);
        Assert.Equal("pass", result.Verdict); // only a MEDIUM remains, below failOn HIGH
        Assert.Equal(0, ScanPolicy.ExitCode(result, 1));
    }

    [Fact]
    public void VexDocument_NotOpenVex_ClearError()
    {
        var ex = Assert.Throws<FormatException>(() => VexDocument.Parse("{\"bomFormat\": \"CycloneDX\"}", "x.json"));
        Assert.Contains("statements", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromOptions_FindsTrivyIgnoreInWorkingDirectoryAndParsesSeverities()
    {
        var dir = TestPaths.NewTempDir("policy");
        File.WriteAllText(Path.Combine(dir, ".trivyignore"), "CVE-1\n");

        var policy = ScanPolicy.FromOptions("CRITICAL,high", ignoreUnfixed: true, ignoreFile: null, [], dir);

        Assert.Equal([Severity.Critical, Severity.High], policy.Severities);
        Assert.True(policy.IgnoreUnfixed);
        Assert.Equal("CVE-1", Assert.Single(policy.Ignores).Id);
        Assert.Throws<FormatException>(() => ScanPolicy.FromOptions("SEVERE", false, null, [], dir));
    }

    internal static ScanReport Report(params VulnerabilityFinding[] vulnerabilities) => new() { Vulnerabilities = [.. vulnerabilities] };

    internal static VulnerabilityFinding Vuln(string id, Severity severity, string? fixedVersion = "9.9", IReadOnlyList<string>? aliases = null, string? path = null, string? purl = null) => new()
    {
        Id = id,
        Aliases = aliases ?? [],
        Package = "pkg",
        PackageType = PackageTypes.Deb,
        InstalledVersion = "1.0",
        FixedVersion = fixedVersion,
        Status = fixedVersion is null ? FixStatus.Affected : FixStatus.Fixed,
        Severity = severity,
        Path = path ?? "var/lib/dpkg/status",
        Purl = purl,
    };
}
