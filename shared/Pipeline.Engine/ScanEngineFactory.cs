using Pipeline.Analysis.Analyzers.Language;
using Pipeline.Analysis.Analyzers.Os;
using Pipeline.Core.Analysis;
using Pipeline.Core.Detection;
using Pipeline.Engine.Detectors;
using Pipeline.Secrets.ImageConfig;
using Pipeline.Vulnerabilities.Database;
using Pipeline.Secrets.Scanning;

namespace Pipeline.Engine;

/// <summary>
/// The composition root of a scan: the plain list of analyzers and detectors, chosen by the scanners asked
/// for. Nothing registers itself; adding an analyzer means adding it here.
/// </summary>
public static class ScanEngineFactory
{
    public static ScanEngine Create(ScanSettings settings)
    {
        var owned = new List<IDisposable>();
        var analyzers = new List<IAnalyzer>();
        var detectors = new List<IDetector>();

        // Packages are facts every scanner needs (vulnerabilities match them, the SBOM lists them).
        analyzers.AddRange(OsAnalyzers.All());
        analyzers.AddRange(settings.Target == ScanTarget.FileSystem ? LanguageAnalyzers.ForFileSystem() : LanguageAnalyzers.ForImage());

        var secretScanner = new SecretScanner(settings.SecretOptions, SecretFingerprinter.Create(settings.SecretSalt));
        if (settings.Scanners.HasFlag(Scanners.Secret))
        {
            analyzers.Add(new SecretAnalyzer(secretScanner));
        }

        if ((settings.Scanners & (Scanners.Config | Scanners.Secret)) != 0)
        {
            var options = new ImageConfigOptions();
            foreach (var r in settings.AllowedRegistries ?? [])
            {
                options.AllowedRegistries.Add(r);
            }

            detectors.Add(new ImageConfigDetector(new ImageConfigChecker(secretScanner, options), settings.Scanners));
        }

        if (settings.Scanners.HasFlag(Scanners.Vuln))
        {
            var path = settings.DatabasePath ?? DatabaseLocation.Default;
            if (File.Exists(path))
            {
                var database = VulnerabilityDatabase.Open(path);
                owned.Add(database);
                detectors.Add(new VulnerabilityDetector(database));
            }
            else if (settings.RequireDatabase)
            {
                throw new FileNotFoundException($"Vulnerability database {path} does not exist (build one with `pipeline db build` or `pipeline db update`).", path);
            }
            else
            {
                settings.Warn?.Invoke($"no vulnerability database at {path}: vulnerabilities were not matched (run `pipeline db update`, or `pipeline db build`, or pass --db FILE).");
            }
        }

        return new ScanEngine(analyzers, detectors, settings, owned);
    }
}
