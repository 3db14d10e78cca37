using System.CommandLine;
using Pipeline.Core.Reports;
using Pipeline.Iac;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline scan iac PATH</c>: Terraform, CloudFormation, ARM, Bicep, Kubernetes and Dockerfiles in a file, a directory or a .zip.</summary>
internal static class ScanIacCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "A file, a directory or a .zip" };
        var varFiles = new Option<string[]>("--var-file") { Description = "Terraform variables file (repeatable), applied after terraform.tfvars and *.auto.tfvars" };
        var vars = new Option<string[]>("--var") { Description = "Terraform variable name=value (repeatable)" };
        var common = new CommonOptions();
        var command = new Command("iac", "Scan infrastructure-as-code for insecure settings, including insecure cloud defaults") { path, varFiles, vars };
        common.AddTo(command);
        command.SetAction((result, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var format = common.ResolveFormat(result);
            var target = result.GetValue(path)!;
            var report = await ScanAsync(target, ParseVars(result.GetValue(vars)), result.GetValue(varFiles) ?? [], cancellationToken);
            return await ReportOutput.WriteAsync([report], common, result, format, cancellationToken);
        }));
        return command;
    }

    /// <summary>Scans IaC under <paramref name="target"/> into a report of type <c>iac</c> (also used by <c>scan fs</c>).</summary>
    public static async Task<ScanReport> ScanAsync(string target, IReadOnlyDictionary<string, string> vars, IReadOnlyList<string> varFiles, CancellationToken cancellationToken)
    {
        if (!File.Exists(target) && !Directory.Exists(target))
        {
            throw new CliException($"{target} does not exist.");
        }

        var scanner = new IacScanner(new IacScanOptions { Vars = vars, VarFiles = varFiles });
        var result = await scanner.ScanAsync(target, cancellationToken);
        return new ScanReport
        {
            CreatedAt = TimeProvider.System.GetUtcNow(),
            Artifact = new ArtifactInfo { Type = "iac", Name = target },
            Misconfigurations = result.Misconfigurations,
            Errors = result.Errors,
            Suppressed = result.Suppressed.Count == 0 ? null : new SuppressedFindings { Misconfigurations = result.Suppressed },
        };
    }

    private static Dictionary<string, string> ParseVars(string[]? pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CliException($"--var '{pair}' is not name=value.", 2);
            }

            map[pair[..eq]] = pair[(eq + 1)..];
        }

        return map;
    }
}
