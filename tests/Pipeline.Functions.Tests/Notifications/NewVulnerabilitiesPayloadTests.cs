using System.Text.Json;
using Pipeline.Core.Findings;
using Pipeline.Core.Model;
using Pipeline.Core.Reports;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Notifications;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.Tests.Notifications;

public sealed class NewVulnerabilitiesPayloadTests
{
    private static readonly VulnerabilityFinding Known = new() { Id = "CVE-2024-0001", Package = "openssl", PackageType = "deb", InstalledVersion = "3.0.11-1~deb12u2", Severity = Severity.Critical, Status = FixStatus.Affected };
    private static readonly VulnerabilityFinding Added = new() { Id = "CVE-2025-0002", Package = "zlib1g", PackageType = "deb", InstalledVersion = "1:1.2.13.dfsg-1", FixedVersion = "1:1.2.13.dfsg-1+deb12u1", Severity = Severity.High, Status = FixStatus.Fixed };
    private static readonly VulnerabilityFinding Gone = new() { Id = "CVE-2020-0003", Package = "apt", PackageType = "deb", InstalledVersion = "2.6.1", Severity = Severity.Low, Status = FixStatus.Affected };

    [Fact]
    public void CloudEvent_ListsAndCountsOnlyTheNewFindings()
    {
        using var json = JsonDocument.Parse(WebhookPayloads.Render(Event(), WebhookFormat.CloudEvents));

        var root = json.RootElement;
        Assert.Equal(WebhookPayloads.NewVulnerabilitiesEventType, root.GetProperty("type").GetString());
        var data = root.GetProperty("data");
        Assert.Equal(["CVE-2025-0002"], data.GetProperty("vulnerabilities").EnumerateArray().Select(v => v.GetProperty("id").GetString()));
        Assert.Equal("1:1.2.13.dfsg-1+deb12u1", data.GetProperty("vulnerabilities")[0].GetProperty("fixedVersion").GetString());
        Assert.Equal(1, data.GetProperty("counts").GetProperty("high").GetInt32());
        Assert.Equal(0, data.GetProperty("counts").GetProperty("critical").GetInt32());
        Assert.Equal(2, data.GetProperty("findings").GetProperty("vulnerabilities").GetInt32());
        Assert.Equal(["CVE-2020-0003"], data.GetProperty("resolved").EnumerateArray().Select(v => v.GetProperty("id").GetString()));
        Assert.Equal("sha256-0123456789abcdef", data.GetProperty("database").GetProperty("version").GetString());
    }

    [Fact]
    public void SlackAndTeams_SayWhatIsNewAndNameOnlyTheNewFindings()
    {
        var slack = WebhookPayloads.Render(Event(), WebhookFormat.Slack);
        var teams = WebhookPayloads.Render(Event(), WebhookFormat.Teams);

        foreach (var body in new[] { slack, teams })
        {
            Assert.Contains("New vulnerabilities", body, StringComparison.Ordinal);
            Assert.Contains("1 new with database sha256-0123456789abcdef", body, StringComparison.Ordinal);
            Assert.Contains("CVE-2025-0002", body, StringComparison.Ordinal);
            Assert.DoesNotContain("CVE-2024-0001", body, StringComparison.Ordinal);
        }
    }

    private static NewVulnerabilitiesFound Event()
    {
        var image = new ImageCoordinates { Registry = "127.0.0.1:5000", Repository = "library/app", Digest = "sha256:" + new string('c', 64), Tag = "1.0", Tenant = "acme" };
        var report = new ScanReport
        {
            Artifact = new ArtifactInfo { Name = "app", Registry = image.Registry, Repository = image.Repository, Digest = image.Digest, Tag = image.Tag, Platform = "linux/amd64" },
            Vulnerabilities = [Known, Added],
            Verdict = "fail",
        };
        var change = new RematchOutcome { RematchId = "rematch-1", Version = "sha256-0123456789abcdef", Image = image, ReportBlob = "r/report.json", Changed = true, New = [Added], Resolved = [Gone] };
        return new NewVulnerabilitiesFound("msg_1", "acme", "rematch-1", report, "r/report.json", new Uri("http://127.0.0.1:10000/devstoreaccount1/reports/r/report.json"), DateTimeOffset.UnixEpoch, change);
    }
}
