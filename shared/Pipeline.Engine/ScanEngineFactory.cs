using Pipeline.Analysis.Analyzers.Language;
using Pipeline.Analysis.Analyzers.Os;
using Pipeline.Core.Analysis;
using Pipeline.Core.Detection;
using Pipeline.Engine.Detectors;
using Pipeline.Secrets.ImageConfig;
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

        return new ScanEngine(analyzers, detectors, settings, owned);
    }
}
