using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Pipeline.Core.Model;
using Pipeline.Core.Reports;

namespace Pipeline.Reports;

/// <summary>
/// SARIF 2.1.0: one run per artifact, one rule per advisory, secret rule or misconfiguration rule, results
/// located at the package's file, the secret's line or the resource's lines. <c>security-severity</c> is set
/// so code-scanning UIs rank results as they would a CVSS score.
/// </summary>
public static class SarifWriter
{
    public static JsonObject Create(IReadOnlyList<ScanReport> reports) => new()
    {
        ["version"] = "2.1.0",
        ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
        ["runs"] = new JsonArray([.. reports.Select(Run)]),
    };

    private static JsonObject Run(ScanReport report)
    {
        var rules = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var results = new JsonArray();
        var artifact = report.Artifact.Name;

        foreach (var v in report.Vulnerabilities)
        {
            rules.TryAdd(v.Id, Rule(v.Id, v.Title.Length > 0 ? v.Title : v.Id, v.Severity, v.References.FirstOrDefault(), "vulnerability",
                $"{v.Id}: {v.Title}"));
            var fixedText = v.FixedVersion is null ? "no fixed version is known" : $"fixed in {v.FixedVersion}";
            results.AddNode(Result(v.Id, v.Severity,
                $"Package {v.Package} {v.InstalledVersion} is affected by {v.Id} ({v.Severity.ToUpper()}); {fixedText}.",
                v.Path ?? artifact, 1, 1));
        }

        foreach (var s in report.Secrets)
        {
            rules.TryAdd("secret/" + s.RuleId, Rule("secret/" + s.RuleId, s.Title.Length > 0 ? s.Title : s.RuleId, s.Severity, null, "secret", s.Title));
            var where = s.RemovedInLayer is null ? string.Empty : $" The file was deleted in layer {s.RemovedInLayer} but remains in layer {s.Layer}.";
            results.AddNode(Result("secret/" + s.RuleId, s.Severity, $"Secret {s.RuleId} found: {s.Preview}.{where}", s.Path, Math.Max(1, s.Line), Math.Max(1, s.Line)));
        }

        foreach (var m in report.Misconfigurations)
        {
            rules.TryAdd(m.RuleId, Rule(m.RuleId, m.Title, m.Severity, m.References?.FirstOrDefault(), "misconfiguration", m.Description ?? m.Title));
            results.AddNode(Result(m.RuleId, m.Severity, m.Message, m.File.Length > 0 ? m.File : artifact, Math.Max(1, m.StartLine), Math.Max(1, Math.Max(m.StartLine, m.EndLine))));
        }

        return new JsonObject
        {
            ["tool"] = new JsonObject
            {
                ["driver"] = new JsonObject
                {
                    ["name"] = "pipeline",
                    ["informationUri"] = "https://github.com/",
                    ["version"] = typeof(SarifWriter).Assembly.GetName().Version?.ToString() ?? "0.0.0",
                    ["rules"] = new JsonArray([.. rules.Values]),
                },
            },
            ["results"] = results,
            ["properties"] = new JsonObject
            {
                ["artifact"] = artifact,
                ["digest"] = report.Artifact.Digest,
                ["platform"] = report.Artifact.Platform,
            },
        };
    }

    private static JsonObject Rule(string id, string title, Severity severity, string? help, string kind, string description) => new()
    {
        ["id"] = id,
        ["name"] = kind,
        ["shortDescription"] = new JsonObject { ["text"] = title },
        ["fullDescription"] = new JsonObject { ["text"] = description.Length > 0 ? description : title },
        ["defaultConfiguration"] = new JsonObject { ["level"] = Level(severity) },
        ["helpUri"] = help,
        ["properties"] = new JsonObject
        {
            ["tags"] = new JsonArray("security", kind, severity.ToUpper()),
            ["security-severity"] = SecuritySeverity(severity),
        },
    };

    private static JsonObject Result(string ruleId, Severity severity, string message, string uri, int startLine, int endLine) => new()
    {
        ["ruleId"] = ruleId,
        ["level"] = Level(severity),
        ["message"] = new JsonObject { ["text"] = message },
        ["locations"] = new JsonArray(new JsonObject
        {
            ["physicalLocation"] = new JsonObject
            {
                ["artifactLocation"] = new JsonObject { ["uri"] = uri, ["uriBaseId"] = "ROOTPATH" },
                ["region"] = new JsonObject { ["startLine"] = startLine, ["endLine"] = endLine },
            },
        }),
    };

    private static string Level(Severity s) => s switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    /// <summary>The numeric rank GitHub code scanning reads: critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0.</summary>
    private static string SecuritySeverity(Severity s) => (s switch
    {
        Severity.Critical => 9.5,
        Severity.High => 8.0,
        Severity.Medium => 5.5,
        Severity.Low => 2.0,
        _ => 0.0,
    }).ToString("0.0", CultureInfo.InvariantCulture);
}
