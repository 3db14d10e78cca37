using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Core.Findings;
using Pipeline.Core.Reports;

namespace Pipeline.Cli;

/// <summary>The policy a command line asks for: severities, unfixed vulnerabilities, ignore file, VEX, policy document.</summary>
internal sealed class CliPolicy
{
    private readonly IReadOnlyList<Core.Model.Severity>? _severities;
    private readonly bool _ignoreUnfixed;

    private CliPolicy(IReadOnlyList<Core.Model.Severity>? severities, bool ignoreUnfixed)
    {
        _severities = severities;
        _ignoreUnfixed = ignoreUnfixed;
    }

    public static CliPolicy Load(CommonOptions common, ParseResult result) =>
        new(common.ResolveSeverities(result), result.GetValue(common.IgnoreUnfixed));

    public ScanReport Apply(ScanReport report)
    {
        bool Keep(Core.Model.Severity s) => _severities is null || _severities.Contains(s);
        report.Vulnerabilities = [.. report.Vulnerabilities.Where(v => Keep(v.Severity) && !(_ignoreUnfixed && v.Status == FixStatus.Affected))];
        report.Secrets = [.. report.Secrets.Where(s => Keep(s.Severity))];
        report.Misconfigurations = [.. report.Misconfigurations.Where(m => Keep(m.Severity))];
        return report;
    }

    public bool HasFindings(ScanReport report) =>
        report.Vulnerabilities.Count + report.Secrets.Count + report.Misconfigurations.Count > 0;
}
