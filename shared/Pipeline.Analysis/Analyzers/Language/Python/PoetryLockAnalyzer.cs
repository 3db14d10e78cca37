using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Python;

/// <summary>Poetry's <c>poetry.lock</c>: one <c>[[package]]</c> table per locked distribution.</summary>
internal sealed class PoetryLockAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "poetry";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) => entry.FileName == "poetry.lock";

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var packages = new List<Package>();
        foreach (var table in TomlTables.ArrayTables(LanguageText.Read(file.Content), "package"))
        {
            if (table.GetValueOrDefault("name") is not { Length: > 0 } name || table.GetValueOrDefault("version") is not { Length: > 0 } version)
            {
                continue;
            }

            // Poetry before 1.5 wrote category = "dev"; later versions write the groups a package belongs to.
            var dev = table.GetValueOrDefault("category") == "dev"
                || (table.GetValueOrDefault("groups") is { } groups && !groups.Split('\n').Contains("main"));
            packages.Add(LanguagePackage.PyPI(name, version, file.Path, dev: dev));
        }

        facts.AddPackages(Type, file.Path, LanguagePackage.Distinct(packages));
    }
}
