using Pipeline.Core.Model;

namespace Pipeline.Policy.Tests;

public sealed class PolicyDocumentTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [Fact]
    public void Load_FullDocument_AllSettings()
    {
        var doc = PolicyDocument.Load(
            """
            severity: [CRITICAL, HIGH, MEDIUM]
            ignoreUnfixed: true
            failOn: HIGH
            ignore:
              - id: CVE-2023-45853
                reason: zlib minizip is not shipped in our images
                expires: 2027-06-30
                purls: [pkg:deb/debian/zlib1g]
              - id: AVD-DS-0002
                kind: misconfiguration
            allowedRegistries: [myregistry.azurecr.io, ghcr.io]
            webhooks:
              - url: https://hooks.example.com/scan
                secret: webhook-secret
                events: [scan.completed]
            """);

        Assert.Equal([Severity.Critical, Severity.High, Severity.Medium], doc.Policy.Severities);
        Assert.True(doc.Policy.IgnoreUnfixed);
        Assert.Equal(Severity.High, doc.Policy.FailOn);
        Assert.Equal(2, doc.Policy.Ignores.Count);
        Assert.Equal(new DateOnly(2027, 6, 30), doc.Policy.Ignores[0].Expires);
        Assert.Equal("zlib minizip is not shipped in our images", doc.Policy.Ignores[0].Reason);
        Assert.Equal(FindingKind.Misconfiguration, doc.Policy.Ignores[1].Kind);
        Assert.Equal(["myregistry.azurecr.io", "ghcr.io"], doc.AllowedRegistries);
        Assert.Equal(new Uri("https://hooks.example.com/scan"), doc.Webhooks.Single().Url);
        Assert.Equal("webhook-secret", doc.Webhooks.Single().SecretName);
    }

    [Fact]
    public void Load_AppliedToReport_SuppressesByPurlAndFailsOnHigh()
    {
        var doc = PolicyDocument.Load(
            """
            failOn: HIGH
            ignore:
              - id: CVE-2023-45853
                reason: minizip not shipped
                purls: [pkg:deb/debian/zlib1g]
            """);
        var report = ScanPolicyTests.Report(
            ScanPolicyTests.Vuln("DEBIAN-CVE-2023-45853", Severity.Critical, null, ["CVE-2023-45853"], purl: "pkg:deb/debian/zlib1g@1.2.13.dfsg-1?arch=amd64"),
            ScanPolicyTests.Vuln("DSA-5514-1", Severity.High));

        var result = doc.Policy.Apply(report, Today);

        Assert.Equal("fail", result.Verdict);
        Assert.Equal("ignored by policy: minizip not shipped", result.Suppressed!.Vulnerabilities.Single().SuppressedBy);
    }

    [Theory]
    [InlineData("severity: [SEVERE]", "SEVERE")]
    [InlineData("unknownKey: 1", "unknown key 'unknownKey'")]
    [InlineData("ignore:\n  - reason: no id", "needs an 'id'")]
    [InlineData("ignore:\n  - id: X\n    expires: someday", "not a date")]
    [InlineData("webhooks:\n  - url: ftp://x", "http(s)")]
    [InlineData("severity: [HIGH", "line")]
    public void Load_Malformed_ErrorSaysWhat(string yaml, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => PolicyDocument.Load(yaml));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Empty_DefaultPolicy()
    {
        var doc = PolicyDocument.Load(string.Empty);
        Assert.Empty(doc.Policy.Severities);
        Assert.Null(doc.Policy.FailOn);
    }
}
