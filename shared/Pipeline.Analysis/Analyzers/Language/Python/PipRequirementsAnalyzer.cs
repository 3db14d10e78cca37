using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Python;

/// <summary>
/// pip's <c>requirements.txt</c>. Only exact pins (<c>name==1.2.3</c>, or <c>===</c>) name a version; a range
/// says what may be installed, not what is, so it is left out rather than guessed.
/// </summary>
internal sealed class PipRequirementsAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "pip";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) => entry.FileName == "requirements.txt";

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var packages = new List<Package>();
        foreach (var line in LogicalLines(LanguageText.Read(file.Content)))
        {
            if (Parse(line) is var (name, version))
            {
                packages.Add(LanguagePackage.PyPI(name, version, file.Path));
            }
        }

        facts.AddPackages(Type, file.Path, LanguagePackage.Distinct(packages));
    }

    /// <summary>Joins backslash continuations and drops comments (<c> #</c> and whole-line <c>#</c>).</summary>
    private static IEnumerable<string> LogicalLines(string text)
    {
        var current = string.Empty;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            var whole = current + line;
            current = string.Empty;
            var comment = whole.StartsWith('#') ? 0 : whole.IndexOf(" #", StringComparison.Ordinal);
            yield return (comment >= 0 ? whole[..comment] : whole).Trim();
        }

        if (current.Length > 0)
        {
            yield return current.Trim();
        }
    }

    private static (string Name, string Version)? Parse(string line)
    {
        // Options (-r, -e, --hash, --index-url) and URLs are not pinned registry packages.
        if (line.Length == 0 || line.StartsWith('-'))
        {
            return null;
        }

        var spec = line;
        var marker = spec.IndexOf(';', StringComparison.Ordinal);
        if (marker >= 0)
        {
            spec = spec[..marker];
        }

        var option = spec.IndexOf(" --", StringComparison.Ordinal);
        if (option >= 0)
        {
            spec = spec[..option];
        }

        var eq = spec.IndexOf("==", StringComparison.Ordinal);
        if (eq <= 0 || spec.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var name = spec[..eq].Trim();
        var extras = name.IndexOf('[', StringComparison.Ordinal);
        if (extras >= 0)
        {
            name = name[..extras].Trim();
        }

        var version = spec[(eq + 2)..].TrimStart('=').Trim();
        if (name.Length == 0 || version.Length == 0 || version.Contains('*', StringComparison.Ordinal) || name.Contains(' ', StringComparison.Ordinal))
        {
            return null;
        }

        return (name, version);
    }
}
