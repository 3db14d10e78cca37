using System.CommandLine;
using Pipeline.Analysis.Merging;
using Pipeline.Analysis.Walking;
using Pipeline.Core.Detection;
using Pipeline.Core.Reports;
using Pipeline.Engine;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline scan fs PATH</c>: before there is an image. The same secret rules, the package analyzers
/// (lock files and manifests) and the IaC checks over a directory, with the same formats and exit codes.
/// </summary>
internal static class ScanFsCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "The directory to scan" };
        var common = new CommonOptions();
        var command = new Command("fs", "Scan a directory: lock files and manifests, secrets, infrastructure-as-code") { path };
        common.AddTo(command);
        command.SetAction((result, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var format = common.ResolveFormat(result);
            var scanners = common.ResolveScanners(result);
            var root = result.GetValue(path)!;
            if (!Directory.Exists(root))
            {
                throw new CliException($"{root} is not a directory.");
            }

            using var engine = ScanEngineFactory.Create(new ScanSettings
            {
                Scanners = scanners,
                Target = ScanTarget.FileSystem,
                DatabasePath = result.GetValue(common.Db)?.FullName,
                RequireDatabase = result.GetValue(common.Db) is not null,
                Warn = w => Console.Error.WriteLine("warning: " + w),
            });
            var facts = await new DirectoryWalker(engine.Analyzers, engine.Settings.Limits).WalkAsync(root, cancellationToken);
            var merged = LayerMerger.Merge([facts]);
            var report = new ScanReport
            {
                CreatedAt = TimeProvider.System.GetUtcNow(),
                Artifact = new ArtifactInfo { Type = "filesystem", Name = root },
                Os = merged.Os,

                // A directory has no layers: drop the walker's placeholder layer from every fact.
                Packages = [.. merged.Packages.Select(p => p with { Layer = null })],
                Secrets = [.. merged.Secrets.Select(s => s with { Layer = null })],
                Errors = merged.Errors,
            };

            await engine.Assembler.RunDetectorsAsync(new DetectionContext(null, merged), report, cancellationToken);
            if (scanners.HasFlag(Scanners.Config))
            {
                var iac = await ScanIacCommand.ScanAsync(root, new Dictionary<string, string>(), [], cancellationToken);
                report.Misconfigurations.AddRange(iac.Misconfigurations);
                report.Errors.AddRange(iac.Errors);
                if (iac.Suppressed is { } suppressed)
                {
                    report.Suppressed = suppressed;
                }
            }

            return await ReportOutput.WriteAsync([report], common, result, format, cancellationToken);
        }));
        return command;
    }
}
