using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Java;

/// <summary>
/// Gradle's dependency lock (<c>gradle.lockfile</c>, and the per-configuration files under
/// <c>gradle/dependency-locks/</c>): one <c>group:artifact:version=configurations</c> line per module.
/// A module locked only for test configurations is marked dev.
/// </summary>
internal sealed class GradleLockAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "gradle-lock";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) =>
        entry.FileName == "gradle.lockfile" || (entry.Path.EndsWith(".lockfile", StringComparison.Ordinal) && entry.Path.Contains("gradle/dependency-locks/", StringComparison.Ordinal));

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var packages = new List<Package>();
        foreach (var raw in LanguageText.Read(file.Content).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || line.StartsWith("empty=", StringComparison.Ordinal))
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var gav = (eq >= 0 ? line[..eq] : line).Split(':');
            if (gav.Length != 3 || gav.Any(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var configurations = eq >= 0 ? line[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
            var dev = configurations.Length > 0 && configurations.All(c => c.StartsWith("test", StringComparison.OrdinalIgnoreCase));
            packages.Add(LanguagePackage.Maven(gav[0], gav[1], gav[2], file.Path) with { Dev = dev });
        }

        facts.AddPackages(Type, file.Path, LanguagePackage.Distinct(packages));
    }
}
