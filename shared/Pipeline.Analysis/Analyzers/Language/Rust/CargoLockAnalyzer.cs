using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Rust;

/// <summary>
/// <c>Cargo.lock</c>: one <c>[[package]]</c> table per crate. Crates without a <c>source</c> are the
/// workspace's own members; they are reported too (as Trivy does), because a published crate's advisories
/// can name them.
/// </summary>
internal sealed class CargoLockAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "cargo-lock";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) => entry.FileName == "Cargo.lock";

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var packages = new List<Package>();
        foreach (var table in TomlTables.ArrayTables(LanguageText.Read(file.Content), "package"))
        {
            if (table.GetValueOrDefault("name") is { Length: > 0 } name && table.GetValueOrDefault("version") is { Length: > 0 } version)
            {
                packages.Add(LanguagePackage.Cargo(name, version, file.Path));
            }
        }

        facts.AddPackages(Type, file.Path, LanguagePackage.Distinct(packages));
    }
}
