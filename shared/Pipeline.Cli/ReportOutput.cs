using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Core.Reports;
using Pipeline.Reports;

namespace Pipeline.Cli;

/// <summary>Applies the user's policy to the reports, writes them, and decides the exit code.</summary>
internal static class ReportOutput
{
    public static async Task<int> WriteAsync(IReadOnlyList<ScanReport> reports, CommonOptions common, ParseResult result, ReportFormat format, CancellationToken cancellationToken)
    {
        var policy = CliPolicy.Load(common, result);
        var gated = reports.Select(r => policy.Apply(r)).ToList();
        var file = result.GetValue(common.Output);
        if (file is null)
        {
            await using var stdout = Console.OpenStandardOutput();
            await ReportWriter.WriteAsync(gated, format, stdout, cancellationToken);
        }
        else
        {
            file.Directory?.Create();
            await using var stream = file.Create();
            await ReportWriter.WriteAsync(gated, format, stream, cancellationToken);
        }

        var exitCode = result.GetValue(common.ExitCode);
        return gated.Select(r => policy.ExitCode(r, exitCode)).FirstOrDefault(c => c != 0);
    }
}
