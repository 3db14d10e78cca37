using Pipeline.Analysis.Merging;
using Pipeline.Analysis.Walking;
using Pipeline.Core.Analysis;
using Pipeline.Core.Detection;

namespace Pipeline.Engine;

/// <summary>The analyzers and detectors one scan runs, built by <see cref="ScanEngineFactory"/>. Owns the open database.</summary>
public sealed class ScanEngine : IDisposable
{
    private readonly List<IDisposable> _owned;

    internal ScanEngine(IReadOnlyList<IAnalyzer> analyzers, IReadOnlyList<IDetector> detectors, ScanSettings settings, List<IDisposable> owned)
    {
        Analyzers = analyzers;
        Detectors = detectors;
        Settings = settings;
        _owned = owned;
        LayerScanner = new LayerScanner(analyzers, settings.Limits);
        Assembler = new ReportAssembler(detectors, settings.TimeProvider);
    }

    public IReadOnlyList<IAnalyzer> Analyzers { get; }

    public IReadOnlyList<IDetector> Detectors { get; }

    public ScanSettings Settings { get; }

    public LayerScanner LayerScanner { get; }

    public ReportAssembler Assembler { get; }

    public void Dispose()
    {
        foreach (var d in _owned)
        {
            d.Dispose();
        }
    }
}
