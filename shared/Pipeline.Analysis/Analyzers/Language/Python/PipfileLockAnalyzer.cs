using System.Text.Json;
using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Python;

/// <summary>Pipenv's <c>Pipfile.lock</c>: JSON sections <c>default</c> and <c>develop</c>, each name → <c>{"version": "==1.2.3"}</c>.</summary>
internal sealed class PipfileLockAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "pipenv";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) => entry.FileName == "Pipfile.lock";

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        using var doc = LanguageJson.Parse(file.Content);
        var packages = new List<Package>();
        foreach (var (section, dev) in new[] { ("default", false), ("develop", true) })
        {
            if (doc.RootElement.Object(section) is not { } deps)
            {
                continue;
            }

            foreach (var dep in deps.EnumerateObject())
            {
                // Git and path requirements have no "version"; they are not registry packages.
                if (dep.Value.String("version") is { } pin && pin.StartsWith("==", StringComparison.Ordinal))
                {
                    packages.Add(LanguagePackage.PyPI(dep.Name, pin.TrimStart('='), file.Path, dev: dev));
                }
            }
        }

        facts.AddPackages(Type, file.Path, LanguagePackage.Distinct(packages));
    }
}
