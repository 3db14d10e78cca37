using System.Text;
using Pipeline.Core.Model;
using Pipeline.Core.Reports;

namespace Pipeline.Reports;

/// <summary>The human-readable report: a summary line per artifact, then one table per kind of finding.</summary>
public static class TableWriter
{
    public static string Render(IReadOnlyList<ScanReport> reports)
    {
        var sb = new StringBuilder();
        foreach (var r in reports)
        {
            Render(r, sb);
        }

        return sb.ToString();
    }

    private static void Render(ScanReport r, StringBuilder sb)
    {
        var title = r.Artifact.Name + (r.Artifact.Platform is null ? string.Empty : $" ({r.Artifact.Platform})");
        sb.AppendLine(title);
        sb.AppendLine(new string('=', Math.Min(title.Length, 100)));
        if (r.Artifact.Digest is not null)
        {
            sb.AppendLine($"Digest: {r.Artifact.Digest}");
        }

        if (r.Os is not null)
        {
            sb.AppendLine($"OS: {r.Os.Family} {r.Os.Version}");
        }

        if (r.Layers.Count > 0)
        {
            var byStatus = r.Layers.GroupBy(l => l.Status).Select(g => $"{g.Count()} {g.Key}");
            sb.AppendLine($"Layers: {r.Layers.Count} ({string.Join(", ", byStatus)})");
        }

        sb.AppendLine($"Packages: {r.Packages.Count} ({string.Join(", ", r.Packages.GroupBy(p => p.Type).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))})");
        sb.AppendLine($"Vulnerabilities: {Counts(r.Vulnerabilities.Select(v => v.Severity))}");
        sb.AppendLine($"Secrets: {Counts(r.Secrets.Select(s => s.Severity))}");
        sb.AppendLine($"Misconfigurations: {Counts(r.Misconfigurations.Select(m => m.Severity))}");
        if (r.Verdict is not null)
        {
            sb.AppendLine($"Verdict: {r.Verdict}");
        }

        sb.AppendLine();
        if (r.Vulnerabilities.Count > 0)
        {
            Table(sb, ["Package", "Vulnerability", "Severity", "Status", "Installed", "Fixed", "Title"],
                r.Vulnerabilities.OrderByDescending(v => v.Severity).ThenBy(v => v.Package, StringComparer.Ordinal).ThenBy(v => v.Id, StringComparer.Ordinal)
                    .Select(v => new[] { v.Package, v.Id, v.Severity.ToUpper(), v.Status.ToString().ToLowerInvariant(), v.InstalledVersion, v.FixedVersion ?? string.Empty, v.Title }));
        }

        if (r.Secrets.Count > 0)
        {
            Table(sb, ["Severity", "Rule", "Path", "Line", "Layer", "Removed in", "Preview"],
                r.Secrets.OrderByDescending(s => s.Severity).Select(s => new[]
                {
                    s.Severity.ToUpper(), s.RuleId, s.Path, s.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), Short(s.Layer), Short(s.RemovedInLayer), s.Preview,
                }));
        }

        if (r.Misconfigurations.Count > 0)
        {
            Table(sb, ["Severity", "Rule", "Resource", "Location", "Message"],
                r.Misconfigurations.OrderByDescending(m => m.Severity).ThenBy(m => m.File, StringComparer.Ordinal).Select(m => new[]
                {
                    m.Severity.ToUpper(), m.RuleId, m.Resource, m.StartLine > 0 ? $"{m.File}:{m.StartLine}" : m.File, m.Message,
                }));
        }

        foreach (var e in r.Errors)
        {
            sb.AppendLine($"warning: {e.Analyzer}: {e.Path}: {e.Message}");
        }

        sb.AppendLine();
    }

    private static string Counts(IEnumerable<Severity> severities)
    {
        var list = severities.ToList();
        if (list.Count == 0)
        {
            return "0";
        }

        var parts = Enum.GetValues<Severity>().Reverse().Select(s => (s, n: list.Count(x => x == s))).Where(t => t.n > 0).Select(t => $"{t.s.ToUpper()}: {t.n}");
        return $"{list.Count} ({string.Join(", ", parts)})";
    }

    private static string Short(string? digest) => digest is null ? string.Empty : digest.Length > 19 ? digest[..19] : digest;

    private static void Table(StringBuilder sb, string[] headers, IEnumerable<string[]> rows)
    {
        var data = rows.Select(r => r.Select(c => Clip(c.ReplaceLineEndings(" "))).ToArray()).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, data.Count == 0 ? 0 : data.Max(r => r[i].Length))).ToArray();
        void Line(IReadOnlyList<string> cells) =>
            sb.AppendLine("│ " + string.Join(" │ ", cells.Select((c, i) => c.PadRight(widths[i]))) + " │");
        sb.AppendLine("┌─" + string.Join("─┬─", widths.Select(w => new string('─', w))) + "─┐");
        Line(headers);
        sb.AppendLine("├─" + string.Join("─┼─", widths.Select(w => new string('─', w))) + "─┤");
        foreach (var r in data)
        {
            Line(r);
        }

        sb.AppendLine("└─" + string.Join("─┴─", widths.Select(w => new string('─', w))) + "─┘");
        sb.AppendLine();
    }

    private static string Clip(string s) => s.Length > 80 ? s[..77] + "..." : s;
}
