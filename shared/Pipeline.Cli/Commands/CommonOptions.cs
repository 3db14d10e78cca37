using System.CommandLine;
using Pipeline.Engine;
using Pipeline.Reports;

namespace Pipeline.Cli.Commands;

/// <summary>Options every scan command shares, with the same names and defaults Trivy users know.</summary>
internal sealed class CommonOptions
{
    public Option<string?> Format { get; } = new("--format", "-f")
    {
        Description = "Output format: table, json, sarif, cyclonedx (default: table on a terminal, json otherwise)",
    };

    public Option<FileInfo?> Output { get; } = new("--output", "-o") { Description = "Write the report to FILE instead of standard output" };

    public Option<string?> Severity { get; } = new("--severity", "-s")
    {
        Description = "Severities to report, comma-separated (UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL)",
    };

    public Option<int> ExitCode { get; } = new("--exit-code") { Description = "Exit code when findings remain after policy (default 0)" };

    public Option<bool> IgnoreUnfixed { get; } = new("--ignore-unfixed") { Description = "Report only vulnerabilities with a fixed version" };

    public Option<FileInfo?> IgnoreFile { get; } = new("--ignorefile")
    {
        Description = "Ignore file (default: .pipelineignore, else .trivyignore, in the current directory)",
    };

    public Option<FileInfo[]> Vex { get; } = new("--vex") { Description = "OpenVEX document marking findings not affected (repeatable)" };

    public Option<FileInfo?> Policy { get; } = new("--policy") { Description = "Policy YAML document (severity, ignores, failOn)" };

    public Option<string?> ScannersOption { get; } = new("--scanners") { Description = "What to look for: vuln,secret,config (default: all)" };

    public Option<FileInfo?> Db { get; } = new("--db") { Description = "Vulnerability database file (default: $PIPELINE_DB or ~/.cache/pipeline/db/pipeline.db)" };

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "No progress display" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Format, Output, Severity, ExitCode, IgnoreUnfixed, IgnoreFile, Vex, Policy, ScannersOption, Db, Quiet })
        {
            command.Options.Add(o);
        }
    }

    public ReportFormat ResolveFormat(ParseResult result)
    {
        var text = result.GetValue(Format);
        if (text is null)
        {
            return result.GetValue(Output) is null && !Console.IsOutputRedirected ? ReportFormat.Table : ReportFormat.Json;
        }

        return ReportFormats.TryParse(text, out var f)
            ? f
            : throw new CliException($"Unknown format '{text}' (expected table, json, sarif, cyclonedx).", 2);
    }

    public Scanners ResolveScanners(ParseResult result)
    {
        try
        {
            return ScannerNames.Parse(result.GetValue(ScannersOption));
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message);
        }
    }
}

/// <summary>A user error: printed as one line on stderr, exit code 2 for usage, 1 otherwise.</summary>
internal sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
