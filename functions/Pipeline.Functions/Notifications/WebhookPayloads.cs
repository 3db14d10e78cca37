using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core;
using Pipeline.Core.Findings;
using Pipeline.Core.Model;
using Pipeline.Core.Reports;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.Notifications;

/// <summary>An announcement about one image report, as the notifier sends it to each endpoint.</summary>
/// <param name="WebhookId">Stable per announcement and endpoint, so a receiver can dedupe redeliveries.</param>
/// <param name="ScanId">The scan, or the re-match, that produced the announcement.</param>
/// <param name="ReportBlob">The report.json blob name in the reports container.</param>
/// <param name="ReportUrl">The report.json blob URL (no SAS: readers need their own access).</param>
internal abstract record WebhookEvent(string WebhookId, string Tenant, string ScanId, ScanReport Report, string ReportBlob, Uri ReportUrl, DateTimeOffset Time);

/// <summary>A finished scan.</summary>
internal sealed record ScanCompleted(string WebhookId, string Tenant, string ScanId, ScanReport Report, string ReportBlob, Uri ReportUrl, DateTimeOffset Time)
    : WebhookEvent(WebhookId, Tenant, ScanId, Report, ReportBlob, ReportUrl, Time);

/// <summary>Vulnerabilities that a new database found in a stored image, which its previous report did not hold.</summary>
/// <param name="Change">The re-match outcome: the new findings, the resolved ones and the database version.</param>
internal sealed record NewVulnerabilitiesFound(string WebhookId, string Tenant, string ScanId, ScanReport Report, string ReportBlob, Uri ReportUrl, DateTimeOffset Time, RematchOutcome Change)
    : WebhookEvent(WebhookId, Tenant, ScanId, Report, ReportBlob, ReportUrl, Time);

/// <summary>The payload formats of <see cref="WebhookFormat"/>.</summary>
internal static class WebhookPayloads
{
    /// <summary>CloudEvents type of a finished scan.</summary>
    public const string EventType = "com.pipeline.scan.completed";

    /// <summary>CloudEvents type of new vulnerabilities found by re-matching a stored image against a new database.</summary>
    public const string NewVulnerabilitiesEventType = "com.pipeline.vulnerabilities.new";

    /// <summary>Vulnerabilities listed in one payload; the full list is in the report.</summary>
    public const int MaxListedVulnerabilities = 2000;

    public static string Render(WebhookEvent e, WebhookFormat format) => format switch
    {
        WebhookFormat.Slack => Slack(e),
        WebhookFormat.Teams => Teams(e),
        _ => CloudEvent(e),
    };

    public static IReadOnlyDictionary<Severity, int> Counts(IEnumerable<VulnerabilityFinding> vulnerabilities)
    {
        var list = vulnerabilities.ToList();
        return Enum.GetValues<Severity>().ToDictionary(s => s, s => list.Count(v => v.Severity == s));
    }

    /// <summary>A CloudEvents 1.0 structured-mode JSON event.</summary>
    public static string CloudEvent(WebhookEvent e)
    {
        var a = e.Report.Artifact;
        var payload = new
        {
            specversion = "1.0",
            type = e is NewVulnerabilitiesFound ? NewVulnerabilitiesEventType : EventType,
            source = $"/pipeline/tenants/{e.Tenant}",
            id = e.WebhookId,
            time = e.Time,
            subject = $"{a.Registry}/{a.Repository}@{a.Digest}",
            datacontenttype = "application/json",
            data = e is NewVulnerabilitiesFound found ? NewVulnerabilitiesData(found) : ScanCompletedData(e),
        };
        return JsonSerializer.Serialize(payload, PipelineJson.Compact);
    }

    private static object ScanCompletedData(WebhookEvent e)
    {
        var listed = Listed(e.Report.Vulnerabilities);
        return new
        {
            scanId = e.ScanId,
            image = Image(e.Report.Artifact),
            verdict = e.Report.Verdict,
            counts = CountsObject(e.Report.Vulnerabilities),
            packages = e.Report.Packages.Count,

            // The verdict covers every kind of finding; say how many of each there are.
            findings = new { vulnerabilities = e.Report.Vulnerabilities.Count, secrets = e.Report.Secrets.Count, misconfigurations = e.Report.Misconfigurations.Count },
            vulnerabilities = listed,
            vulnerabilitiesTruncated = e.Report.Vulnerabilities.Count > listed.Count,
            report = new { blob = e.ReportBlob, url = e.ReportUrl },
        };
    }

    // Only the new findings are listed and counted; the totals say where the image stands now.
    private static object NewVulnerabilitiesData(NewVulnerabilitiesFound e)
    {
        var listed = Listed(e.Change.New);
        return new
        {
            scanId = e.ScanId,
            image = Image(e.Report.Artifact),
            database = new { version = e.Change.Version },
            verdict = e.Report.Verdict,
            counts = CountsObject(e.Change.New),
            findings = new { @new = e.Change.New.Count, resolved = e.Change.Resolved.Count, vulnerabilities = e.Report.Vulnerabilities.Count },
            vulnerabilities = listed,
            vulnerabilitiesTruncated = e.Change.New.Count > listed.Count,
            resolved = e.Change.Resolved.Take(MaxListedVulnerabilities).Select(v => new { id = v.Id, package = v.Package, installedVersion = v.InstalledVersion }),
            report = new { blob = e.ReportBlob, url = e.ReportUrl },
        };
    }

    private static object Image(ArtifactInfo a) =>
        new { registry = a.Registry, repository = a.Repository, digest = a.Digest, tag = a.Tag, platform = a.Platform, indexDigest = a.IndexDigest };

    private static object CountsObject(IEnumerable<VulnerabilityFinding> vulnerabilities)
    {
        var counts = Counts(vulnerabilities);
        return new
        {
            critical = counts[Severity.Critical],
            high = counts[Severity.High],
            medium = counts[Severity.Medium],
            low = counts[Severity.Low],
            unknown = counts[Severity.Unknown],
        };
    }

    private static List<object> Listed(IEnumerable<VulnerabilityFinding> vulnerabilities) =>
        [.. Ordered(vulnerabilities).Take(MaxListedVulnerabilities)
            .Select(v => (object)new { id = v.Id, aliases = v.Aliases, package = v.Package, packageType = v.PackageType, installedVersion = v.InstalledVersion, fixedVersion = v.FixedVersion, severity = v.Severity.ToUpper(), layer = v.Layer })];

    private static IEnumerable<VulnerabilityFinding> Ordered(IEnumerable<VulnerabilityFinding> vulnerabilities) =>
        vulnerabilities.OrderByDescending(v => v.Severity).ThenBy(v => v.Id, StringComparer.Ordinal);

    private static string Title(WebhookEvent e) => e is NewVulnerabilitiesFound ? "New vulnerabilities in a scanned image" : "Image scan completed";

    private static string Headline(WebhookEvent e)
    {
        var a = e.Report.Artifact;
        var image = $"{a.Registry}/{a.Repository}{(a.Tag is null ? string.Empty : ":" + a.Tag)} ({a.Platform})";
        var (vulnerabilities, what) = e is NewVulnerabilitiesFound found
            ? (found.Change.New, $"{found.Change.New.Count} new with database {found.Change.Version}: ")
            : ((IEnumerable<VulnerabilityFinding>)e.Report.Vulnerabilities, string.Empty);
        var c = Counts(vulnerabilities);
        return $"{image}: {what}{c[Severity.Critical]} critical, {c[Severity.High]} high, {c[Severity.Medium]} medium, {c[Severity.Low]} low" +
               (e.Report.Verdict is { } v ? $", verdict {v}" : string.Empty);
    }

    private static IEnumerable<string> TopFindings(WebhookEvent e) =>
        Ordered(e is NewVulnerabilitiesFound found ? found.Change.New : e.Report.Vulnerabilities).Take(10)
            .Select(v => $"{v.Severity.ToUpper()} {v.Id} in {v.Package} {v.InstalledVersion}" + (v.FixedVersion is { } f ? $" (fixed in {f})" : string.Empty));

    /// <summary>A Slack incoming-webhook message with blocks.</summary>
    public static string Slack(WebhookEvent e)
    {
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Title(e) } },
            new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{Escape(Headline(e))}*\n`{e.Report.Artifact.Digest}`" } },
        };
        var top = TopFindings(e).ToList();
        if (top.Count > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = string.Join('\n', top.Select(t => "• " + Escape(t))) } });
        }

        blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = "Report: " + Escape(e.ReportUrl.ToString()) } } });
        return new JsonObject { ["text"] = Headline(e), ["blocks"] = blocks }.ToJsonString();
    }

    /// <summary>A Teams Workflows webhook message carrying an Adaptive Card.</summary>
    public static string Teams(WebhookEvent e)
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = Title(e), ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
            new JsonObject { ["type"] = "TextBlock", ["text"] = Headline(e), ["wrap"] = true },
        };
        foreach (var line in TopFindings(e))
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = line, ["wrap"] = true, ["spacing"] = "None" });
        }

        body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = "Report: " + e.ReportUrl, ["wrap"] = true, ["isSubtle"] = true });
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        var message = new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray { new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card } },
        };
        return message.ToJsonString();
    }

    // Slack mrkdwn control characters.
    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
