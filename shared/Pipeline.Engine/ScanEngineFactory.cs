using Pipeline.Core.Analysis;
using Pipeline.Core.Detection;

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

        return new ScanEngine(analyzers, detectors, settings, owned);
    }
}
