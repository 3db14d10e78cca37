using System.Text.RegularExpressions;
using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Ruby;

/// <summary>
/// Installed gems: RubyGems writes <c>specifications/NAME-VERSION.gemspec</c> for each, a Ruby file whose
/// <c>s.name</c>, <c>s.version</c> and <c>s.licenses</c> assignments are generated in one fixed form.
/// </summary>
internal sealed partial class GemspecAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "gemspec";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) =>
        entry.Path.EndsWith(".gemspec", StringComparison.Ordinal) && entry.Path.Contains("/specifications/", StringComparison.Ordinal);

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var text = LanguageText.Read(file.Content);
        var name = NamePattern().Match(text);
        var version = VersionPattern().Match(text);
        if (!name.Success || !version.Success)
        {
            throw new InvalidDataException("No name or version assignment: not a generated gemspec.");
        }

        var licenses = LicensesPattern().Match(text) is { Success: true } l
            ? QuotedPattern().Matches(l.Groups[1].Value).Select(m => m.Groups[1].Value).ToList()
            : [];
        facts.AddPackages(Type, file.Path, [LanguagePackage.Gem(name.Groups[1].Value, version.Groups[1].Value, file.Path, licenses)]);
    }

    [GeneratedRegex(@"^\s*\w+\.name\s*=\s*[""']([^""']+)[""']", RegexOptions.Multiline)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\s*\w+\.version\s*=\s*[""']([^""']+)[""']", RegexOptions.Multiline)]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^\s*\w+\.licenses?\s*=\s*(.*)$", RegexOptions.Multiline)]
    private static partial Regex LicensesPattern();

    [GeneratedRegex(@"[""']([^""']+)[""']")]
    private static partial Regex QuotedPattern();
}

/// <summary>
/// Bundler's <c>Gemfile.lock</c>: under each <c>GEM</c> or <c>GIT</c> section's <c>specs:</c>, a gem per line
/// at four spaces (<c>name (version[-platform])</c>); six spaces are its dependencies' constraints. <c>PATH</c>
/// gems are the project's own.
/// </summary>
internal sealed class GemfileLockAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "bundler";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) => entry.FileName == "Gemfile.lock";

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var packages = new List<Package>();
        var section = string.Empty;
        foreach (var raw in LanguageText.Read(file.Content).Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length > 0 && line[0] != ' ')
            {
                section = line.Trim();
                continue;
            }

            if (section is not ("GEM" or "GIT") || !line.StartsWith("    ", StringComparison.Ordinal) || line.StartsWith("     ", StringComparison.Ordinal))
            {
                continue;
            }

            var spec = line.Trim();
            var open = spec.IndexOf(" (", StringComparison.Ordinal);
            if (open <= 0 || !spec.EndsWith(')'))
            {
                continue;
            }

            // RubyGems versions never contain '-': what follows one is the platform (x86_64-linux).
            var version = spec[(open + 2)..^1];
            var dash = version.IndexOf('-', StringComparison.Ordinal);
            packages.Add(LanguagePackage.Gem(spec[..open], dash > 0 ? version[..dash] : version, file.Path));
        }

        facts.AddPackages(Type, file.Path, LanguagePackage.Distinct(packages));
    }
}
