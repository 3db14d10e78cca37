using Pipeline.Core.Analysis;

namespace Pipeline.Secrets.Scanning;

/// <summary>
/// The layer walker's view of the secret scanner: wants every regular file the scanner would read and adds
/// what it finds to <see cref="LayerAnalysis.Secrets"/>. The merge stamps each finding's layer later, and
/// keeps findings from every layer (a key deleted in a later layer is still in the image).
/// </summary>
public sealed class SecretAnalyzer : IAnalyzer
{
    private readonly SecretScanner _scanner;

    /// <summary>An analyzer over <paramref name="scanner"/>, which the composition root shares with the image-config checks.</summary>
    public SecretAnalyzer(SecretScanner scanner)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        _scanner = scanner;
    }

    /// <inheritdoc />
    public string Type => "secret";

    /// <summary>Bump whenever a rule, a default skip path or the fingerprint format changes.</summary>
    public int Version => 1;

    /// <inheritdoc />
    public bool Wants(LayerEntry entry) => _scanner.ShouldScan(entry.Path, entry.Size);

    /// <inheritdoc />
    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(facts);
        facts.Secrets.AddRange(_scanner.Scan(file.Path, file.Content.Span));
    }
}
