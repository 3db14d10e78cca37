using System.CommandLine;
using Pipeline.Analysis.Caching;
using Pipeline.Analysis.Scanning;
using Pipeline.Analysis.Walking;
using Pipeline.Core.Images;
using Pipeline.Engine;
using Pipeline.Registry;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline scan image REF</c>: a registry reference, <c>oci:DIR[:TAG]</c>, <c>oci-archive:FILE</c> or <c>docker-archive:FILE</c>.</summary>
internal static class ScanImageCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("REF")
        {
            Description = "host[:port]/repo[:tag|@digest], oci:DIR[:TAG], oci-archive:FILE or docker-archive:FILE",
        };
        var platform = new Option<string?>("--platform") { Description = "Scan only this platform of an index: os/arch[/variant]" };
        var username = new Option<string?>("--username") { Description = "Registry user name" };
        var password = new Option<string?>("--password") { Description = "Registry password or token (or $PIPELINE_PASSWORD)" };
        var insecure = new Option<bool>("--insecure") { Description = "Allow plain HTTP to registries that are not on loopback" };
        var cacheDir = new Option<DirectoryInfo?>("--cache-dir") { Description = "Layer cache directory (default: ~/.cache/pipeline)" };
        var noCache = new Option<bool>("--no-cache") { Description = "Analyze every layer again and store nothing" };
        var maxLayerBytes = new Option<long?>("--max-layer-bytes") { Description = "Refuse a layer that decompresses to more bytes (default 16 GiB)" };
        var maxLayerEntries = new Option<int?>("--max-layer-entries") { Description = "Refuse a layer with more tar entries (default 2,000,000)" };
        var maxFileBytes = new Option<long?>("--max-file-bytes") { Description = "Skip, and report, files larger than this that an analyzer wants (default 256 MiB)" };
        var parallel = new Option<int>("--parallel") { Description = "Layers analyzed at once (default 2)", DefaultValueFactory = _ => 2 };
        var common = new CommonOptions();

        var command = new Command("image", "Scan a container image: OS and language packages, vulnerabilities, secrets in every layer, image configuration")
        {
            reference, platform, username, password, insecure, cacheDir, noCache, parallel, maxLayerBytes, maxLayerEntries, maxFileBytes,
        };
        common.AddTo(command);
        command.SetAction((result, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var format = common.ResolveFormat(result);
            var scanners = common.ResolveScanners(result);
            var options = new RegistryOptions
            {
                Username = result.GetValue(username),
                Password = result.GetValue(password) ?? Environment.GetEnvironmentVariable("PIPELINE_PASSWORD"),
                Insecure = result.GetValue(insecure),
                Notes = note => Console.Error.WriteLine("note: " + note),
            };
            var platformText = result.GetValue(platform);
            Platform? filter = null;
            if (platformText is not null)
            {
                try
                {
                    filter = Platform.Parse(platformText);
                }
                catch (FormatException e)
                {
                    throw new CliException(e.Message, 2);
                }
            }

            var cacheRoot = result.GetValue(cacheDir)?.FullName ?? DirectoryLayerCache.DefaultRoot();
            var cache = result.GetValue(noCache) ? null : new DirectoryLayerCache(Path.Combine(cacheRoot, "layers"));
            using var engine = ScanEngineFactory.Create(new ScanSettings
            {
                Scanners = scanners,
                DatabasePath = result.GetValue(common.Db)?.FullName,
                RequireDatabase = result.GetValue(common.Db) is not null,
                Limits = new LayerLimits
                {
                    MaxDecompressedBytes = Positive(result.GetValue(maxLayerBytes), "--max-layer-bytes") ?? LayerLimits.Default.MaxDecompressedBytes,
                    MaxEntries = (int?)Positive(result.GetValue(maxLayerEntries), "--max-layer-entries") ?? LayerLimits.Default.MaxEntries,
                    MaxFileBytes = Positive(result.GetValue(maxFileBytes), "--max-file-bytes") ?? LayerLimits.Default.MaxFileBytes,
                },
                Warn = w => Console.Error.WriteLine("warning: " + w),
            });

            await using var source = ImageSourceFactory.Create(result.GetValue(reference)!, options);
            var progress = Progress.Create(result.GetValue(common.Quiet));
            var scan = new ImageScanEngine(engine.LayerScanner, cache, engine.Assembler, Math.Max(1, result.GetValue(parallel)), progress);
            var reports = await progress.RunAsync(() => scan.ScanAsync(source, filter, cancellationToken));
            return await ReportOutput.WriteAsync(reports, common, result, format, cancellationToken);
        }));
        return command;
    }

    private static long? Positive(long? value, string name) =>
        value is <= 0 ? throw new CliException($"{name} must be a positive number.", 2) : value;
}
