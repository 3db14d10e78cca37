using Pipeline.Core.Findings;
using Pipeline.Core.Model;
using Pipeline.Core.Reports;

namespace Pipeline.Policy;

/// <summary>
/// The gate a report passes through, as Trivy users know it: <c>--severity</c>, <c>--ignore-unfixed</c>, ignore
/// files, OpenVEX, and a fail threshold. Suppressed findings (ignore entries, VEX) are kept in
/// <see cref="ScanReport.Suppressed"/> with the reason; findings outside the severity list, and unfixed ones
/// when asked, are dropped as Trivy drops them.
/// </summary>
public sealed record ScanPolicy
{
    /// <summary>The severities to report; empty reports every severity.</summary>
    public IReadOnlyList<Severity> Severities { get; init; } = [];

    /// <summary>Drop vulnerabilities that have no fixed version yet.</summary>
    public bool IgnoreUnfixed { get; init; }

    /// <summary>The verdict fails when a remaining finding is at least this severe; null fails on any remaining finding.</summary>
    public Severity? FailOn { get; init; }

    public IReadOnlyList<IgnoreEntry> Ignores { get; init; } = [];

    public IReadOnlyList<VexStatement> Vex { get; init; } = [];

    /// <summary>
    /// Applies the policy to a copy of <paramref name="report"/> and returns it with <see cref="ScanReport.Verdict"/>
    /// set to <c>pass</c> or <c>fail</c>. Ignore entries that expired before <paramref name="today"/> no longer suppress.
    /// </summary>
    public ScanReport Apply(ScanReport report, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(report);
        var active = Ignores.Where(i => i.IsActive(today)).ToList();
        var suppressed = new SuppressedFindings
        {
            Vulnerabilities = [.. report.Suppressed?.Vulnerabilities ?? []],
            Secrets = [.. report.Suppressed?.Secrets ?? []],
            Misconfigurations = [.. report.Suppressed?.Misconfigurations ?? []],
        };

        var vulnerabilities = new List<VulnerabilityFinding>();
        foreach (var v in report.Vulnerabilities)
        {
            if (!Reported(v.Severity) || (IgnoreUnfixed && v.Status == FixStatus.Affected))
            {
                continue;
            }

            if (SuppressVulnerability(v, active, report.Artifact) is { } reason)
            {
                suppressed.Vulnerabilities.Add(v with { SuppressedBy = reason });
            }
            else
            {
                vulnerabilities.Add(v);
            }
        }

        var secrets = new List<SecretFinding>();
        foreach (var s in report.Secrets.Where(s => Reported(s.Severity)))
        {
            // SecretFinding has no SuppressedBy: the reason is recorded only for the kinds that carry one.
            if (active.Any(i => i.Kind is FindingKind.Any or FindingKind.Secret && i.Id == s.RuleId && PathsMatch(i, s.Path)))
            {
                suppressed.Secrets.Add(s);
            }
            else
            {
                secrets.Add(s);
            }
        }

        var misconfigurations = new List<Misconfiguration>();
        foreach (var m in report.Misconfigurations.Where(m => Reported(m.Severity)))
        {
            var entry = active.FirstOrDefault(i => i.Kind is FindingKind.Any or FindingKind.Misconfiguration && i.Id == m.RuleId && PathsMatch(i, m.File));
            if (entry is not null)
            {
                suppressed.Misconfigurations.Add(m with { SuppressedBy = entry.Describe() });
            }
            else
            {
                misconfigurations.Add(m);
            }
        }

        var remaining = vulnerabilities.Select(v => v.Severity).Concat(secrets.Select(s => s.Severity)).Concat(misconfigurations.Select(m => m.Severity));
        var fail = FailOn is { } threshold ? remaining.Any(s => s >= threshold) : remaining.Any();
        var hasSuppressed = suppressed.Vulnerabilities.Count + suppressed.Secrets.Count + suppressed.Misconfigurations.Count > 0;
        return new ScanReport
        {
            SchemaVersion = report.SchemaVersion,
            CreatedAt = report.CreatedAt,
            Artifact = report.Artifact,
            Os = report.Os,
            Packages = report.Packages,
            Vulnerabilities = vulnerabilities,
            Secrets = secrets,
            Misconfigurations = misconfigurations,
            Layers = report.Layers,
            Errors = report.Errors,
            Suppressed = hasSuppressed ? suppressed : null,
            Verdict = fail ? "fail" : "pass",
        };
    }

    /// <summary>
    /// The process exit code for a report that went through <see cref="Apply"/>: <paramref name="exitCode"/> when
    /// findings remain that fail the gate, else 0 (Trivy's <c>--exit-code</c>).
    /// </summary>
    public static int ExitCode(ScanReport report, int exitCode)
    {
        ArgumentNullException.ThrowIfNull(report);
        var fail = report.Verdict is { } verdict
            ? verdict == "fail"
            : report.Vulnerabilities.Count + report.Secrets.Count + report.Misconfigurations.Count > 0;
        return fail ? exitCode : 0;
    }

    /// <summary>
    /// The policy the CLI flags describe: <c>--severity CRITICAL,HIGH</c>, <c>--ignore-unfixed</c>, an ignore file
    /// (<paramref name="ignoreFile"/>, or <c>.pipelineignore</c> / <c>.trivyignore</c> / <c>.trivyignore.yaml</c> in
    /// <paramref name="workingDirectory"/> when present) and <c>--vex</c> documents.
    /// </summary>
    /// <exception cref="FormatException">A flag value or file is malformed.</exception>
    public static ScanPolicy FromOptions(string? severity, bool ignoreUnfixed, string? ignoreFile, IReadOnlyList<string> vexFiles, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(vexFiles);
        var severities = (severity ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => SeverityNames.TryParse(s, out var parsed) ? parsed : throw new FormatException($"--severity: '{s}' is not a severity (UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL)."))
            .ToList();
        var ignorePath = ignoreFile ?? new[] { ".pipelineignore", ".trivyignore.yaml", ".trivyignore" }
            .Select(n => Path.Combine(workingDirectory, n))
            .FirstOrDefault(File.Exists);
        return new ScanPolicy
        {
            Severities = severities,
            IgnoreUnfixed = ignoreUnfixed,
            Ignores = ignorePath is null ? [] : IgnoreFile.Load(ignorePath),
            Vex = vexFiles.SelectMany(VexDocument.Load).ToList(),
        };
    }

    private bool Reported(Severity severity) => Severities.Count == 0 || Severities.Contains(severity);

    private string? SuppressVulnerability(VulnerabilityFinding v, List<IgnoreEntry> active, ArtifactInfo artifact)
    {
        bool Names(string id) => string.Equals(v.Id, id, StringComparison.OrdinalIgnoreCase) || v.Aliases.Contains(id, StringComparer.OrdinalIgnoreCase);

        var entry = active.FirstOrDefault(i => i.Kind is FindingKind.Any or FindingKind.Vulnerability
            && Names(i.Id)
            && PathsMatch(i, v.Path)
            && (i.Purls.Count == 0 || i.Purls.Any(p => PurlPattern.Matches(p, v.Purl))));
        if (entry is not null)
        {
            return entry.Describe();
        }

        // OpenVEX: the last statement about this vulnerability and product decides.
        VexStatement? decided = null;
        foreach (var s in Vex)
        {
            if (s.Vulnerabilities.Any(Names) && s.Products.Any(p => ProductMatches(p, v, artifact)))
            {
                decided = s;
            }
        }

        return decided is { Suppresses: true }
            ? $"vex: {decided.Status}" + (decided.Justification is { } j ? $" ({j})" : string.Empty) + (decided.ImpactStatement is { } i ? ": " + i : string.Empty)
            : null;
    }

    private static bool ProductMatches(VexProduct product, VulnerabilityFinding v, ArtifactInfo artifact)
    {
        if (product.Subcomponents.Count > 0)
        {
            return product.Subcomponents.Any(s => PurlPattern.Matches(s, v.Purl));
        }

        // A product naming the image without subcomponents covers every package in it (when it is this image,
        // or when the report does not say which image it is).
        if (PurlPattern.IsImage(product.Id))
        {
            return artifact.Digest is null || product.Id.Contains(Uri.EscapeDataString(artifact.Digest), StringComparison.OrdinalIgnoreCase) || product.Id.Contains(artifact.Digest, StringComparison.OrdinalIgnoreCase);
        }

        return PurlPattern.Matches(product.Id, v.Purl);
    }

    private static bool PathsMatch(IgnoreEntry entry, string? path) =>
        entry.Paths.Count == 0 || (path is not null && entry.Paths.Any(p => IgnoreFile.GlobMatch(p, path)));
}
