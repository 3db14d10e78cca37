using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core;
using Pipeline.Core.Model;
using Pipeline.Core.Reports;

namespace Pipeline.Functions.Notifications;

/// <summary>A finished scan as the notifier announces it.</summary>
/// <param name="WebhookId">Stable per scan and endpoint, so a receiver can dedupe redeliveries.</param>
/// <param name="ReportBlob">The report.json blob name in the reports container.</param>
/// <param name="ReportUrl">The report.json blob URL (no SAS: readers need their own access).</param>
internal sealed record ScanCompleted(string WebhookId, string Tenant, string ScanId, ScanReport Report, string ReportBlob, Uri ReportUrl, DateTimeOffset Time);

/// <summary>The payload formats of <see cref="Configuration.WebhookFormat"/>.</summary>
internal static class WebhookPayloads
{
    public const string EventType = "com.pipeline.scan.completed";

    /// <summary>Vulnerabilities listed in one payload; the full list is in the report.</summary>
    public const int MaxListedVulnerabilities = 2000;

    public static IReadOnlyDictionary<Severity, int> Counts(ScanReport report) =>
        Enum.GetValues<Severity>().ToDictionary(s => s, s => report.Vulnerabilities.Count(v => v.Severity == s));

    /// <summary>A CloudEvents 1.0 structured-mode JSON event.</summary>
    public static string CloudEvent(ScanCompleted e)
    {
        var a = e.Report.Artifact;
        var counts = Counts(e.Report);
        var listed = e.Report.Vulnerabilities
            .OrderByDescending(v => v.Severity).ThenBy(v => v.Id, StringComparer.Ordinal)
            .Take(MaxListedVulnerabilities)
            .Select(v => new { id = v.Id, aliases = v.Aliases, package = v.Package, packageType = v.PackageType, installedVersion = v.InstalledVersion, fixedVersion = v.FixedVersion, severity = v.Severity.ToUpper(), layer = v.Layer })
            .ToList();
        var payload = new
        {
            specversion = "1.0",
            type = EventType,
            source = $"/pipeline/tenants/{e.Tenant}",
            id = e.WebhookId,
            time = e.Time,
            subject = $"{a.Registry}/{a.Repository}@{a.Digest}",
            datacontenttype = "application/json",
            data = new
            {
                scanId = e.ScanId,
                image = new { registry = a.Registry, repository = a.Repository, digest = a.Digest, tag = a.Tag, platform = a.Platform, indexDigest = a.IndexDigest },
                verdict = e.Report.Verdict,
                counts = new
                {
                    critical = counts[Severity.Critical],
                    high = counts[Severity.High],
                    medium = counts[Severity.Medium],
                    low = counts[Severity.Low],
                    unknown = counts[Severity.Unknown],
                },
                packages = e.Report.Packages.Count,

                // The verdict covers every kind of finding; say how many of each there are.
                findings = new { vulnerabilities = e.Report.Vulnerabilities.Count, secrets = e.Report.Secrets.Count, misconfigurations = e.Report.Misconfigurations.Count },
                vulnerabilities = listed,
                vulnerabilitiesTruncated = e.Report.Vulnerabilities.Count > listed.Count,
                report = new { blob = e.ReportBlob, url = e.ReportUrl },
            },
        };
        return JsonSerializer.Serialize(payload, PipelineJson.Compact);
    }

    private static string Headline(ScanCompleted e)
    {
        var a = e.Report.Artifact;
        var c = Counts(e.Report);
        return $"{a.Registry}/{a.Repository}{(a.Tag is null ? string.Empty : ":" + a.Tag)} ({a.Platform}): " +
               $"{c[Severity.Critical]} critical, {c[Severity.High]} high, {c[Severity.Medium]} medium, {c[Severity.Low]} low" +
               (e.Report.Verdict is { } v ? $", verdict {v}" : string.Empty);
    }

    private static IEnumerable<string> TopFindings(ScanCompleted e) =>
        e.Report.Vulnerabilities.OrderByDescending(v => v.Severity).ThenBy(v => v.Id, StringComparer.Ordinal).Take(10)
            .Select(v => $"{v.Severity.ToUpper()} {v.Id} in {v.Package} {v.InstalledVersion}" + (v.FixedVersion is { } f ? $" (fixed in {f})" : string.Empty));

    /// <summary>A Slack incoming-webhook message with blocks.</summary>
    public static string Slack(ScanCompleted e)
    {
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Image scan completed" } },
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
    public static string Teams(ScanCompleted e)
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = "Image scan completed", ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
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
