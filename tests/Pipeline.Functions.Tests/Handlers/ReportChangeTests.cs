using Pipeline.Core.Findings;
using Pipeline.Core.Model;
using Pipeline.Core.Reports;
using Pipeline.Functions.Handlers;

namespace Pipeline.Functions.Tests.Handlers;

public sealed class ReportChangeTests
{
    private static readonly DateTimeOffset Then = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Between_OnlyCreationTimeDiffers_Unchanged()
    {
        var change = ReportChange.Between(Report(Then, Finding("CVE-1", "zlib1g")), Report(Then.AddDays(3), Finding("CVE-1", "zlib1g")));

        Assert.False(change.Changed);
        Assert.Empty(change.New);
        Assert.Empty(change.Resolved);
    }

    [Fact]
    public void Between_AdvisoryAddedAndAnotherWithdrawn_NewAndResolvedListed()
    {
        var change = ReportChange.Between(Report(Then, Finding("CVE-1", "zlib1g"), Finding("CVE-2", "apt")), Report(Then, Finding("CVE-1", "zlib1g"), Finding("CVE-3", "libc6")));

        Assert.True(change.Changed);
        Assert.Equal(["CVE-3"], change.New.Select(v => v.Id));
        Assert.Equal(["CVE-2"], change.Resolved.Select(v => v.Id));
    }

    [Fact]
    public void Between_KnownAdvisoryNowMatchingASecondPackage_IsNew()
    {
        var change = ReportChange.Between(Report(Then, Finding("CVE-1", "apt")), Report(Then, Finding("CVE-1", "apt"), Finding("CVE-1", "libapt-pkg6.0")));

        Assert.Equal([("CVE-1", "libapt-pkg6.0")], change.New.Select(v => (v.Id, v.Package)));
    }

    [Fact]
    public void Between_SuppressedBeforeAndReportedNow_ChangedButNotNew()
    {
        var previous = Report(Then);
        previous.Suppressed = new SuppressedFindings { Vulnerabilities = [Finding("CVE-1", "zlib1g") with { SuppressedBy = "ignore file" }] };

        var change = ReportChange.Between(previous, Report(Then, Finding("CVE-1", "zlib1g")));

        Assert.True(change.Changed);
        Assert.Empty(change.New);
    }

    [Fact]
    public void Between_SeverityRaised_ChangedWithNothingNew()
    {
        var change = ReportChange.Between(Report(Then, Finding("CVE-1", "zlib1g")), Report(Then, Finding("CVE-1", "zlib1g") with { Severity = Severity.Critical }));

        Assert.True(change.Changed);
        Assert.Empty(change.New);
        Assert.Empty(change.Resolved);
    }

    private static ScanReport Report(DateTimeOffset createdAt, params VulnerabilityFinding[] vulnerabilities) => new()
    {
        CreatedAt = createdAt,
        Artifact = new ArtifactInfo { Name = "app", Digest = "sha256:" + new string('a', 64) },
        Vulnerabilities = [.. vulnerabilities],
        Verdict = vulnerabilities.Length > 0 ? "fail" : "pass",
    };

    private static VulnerabilityFinding Finding(string id, string package) =>
        new() { Id = id, Package = package, PackageType = "deb", InstalledVersion = "1.0", Severity = Severity.Medium, Status = FixStatus.Affected };
}
