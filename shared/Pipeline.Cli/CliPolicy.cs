using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Core.Reports;
using Pipeline.Policy;

namespace Pipeline.Cli;

/// <summary>
/// The policy a command line asks for: <c>--policy</c> (a YAML document) as the base, with
/// <c>--severity</c>, <c>--ignore-unfixed</c>, the ignore file and <c>--vex</c> added on top.
/// </summary>
internal sealed class CliPolicy(ScanPolicy policy, TimeProvider timeProvider)
{
    public static CliPolicy Load(CommonOptions common, ParseResult result)
    {
        var fromFlags = ScanPolicy.FromOptions(
            result.GetValue(common.Severity),
            result.GetValue(common.IgnoreUnfixed),
            result.GetValue(common.IgnoreFile)?.FullName,
            [.. (result.GetValue(common.Vex) ?? []).Select(f => f.FullName)],
            Environment.CurrentDirectory);
        var file = result.GetValue(common.Policy);
        if (file is null)
        {
            return new CliPolicy(fromFlags, TimeProvider.System);
        }

        if (!file.Exists)
        {
            throw new CliException($"Policy file {file.FullName} does not exist.", 2);
        }

        var document = PolicyDocument.Load(File.ReadAllText(file.FullName), file.Name).Policy;
        return new CliPolicy(
            document with
            {
                Severities = fromFlags.Severities.Count > 0 ? fromFlags.Severities : document.Severities,
                IgnoreUnfixed = document.IgnoreUnfixed || fromFlags.IgnoreUnfixed,
                Ignores = [.. document.Ignores, .. fromFlags.Ignores],
                Vex = [.. document.Vex, .. fromFlags.Vex],
            },
            TimeProvider.System);
    }

    public ScanReport Apply(ScanReport report) => policy.Apply(report, DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime));

    public int ExitCode(ScanReport report, int exitCode) => ScanPolicy.ExitCode(report, exitCode);
}
