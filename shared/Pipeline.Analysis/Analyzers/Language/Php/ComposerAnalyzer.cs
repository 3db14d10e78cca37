using System.Text.Json;
using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Php;

/// <summary>
/// Composer: <c>composer.lock</c> (<c>packages</c> and <c>packages-dev</c>) for source trees, and
/// <c>vendor/composer/installed.json</c> (an array in Composer 1, <c>{"packages": [...]}</c> in Composer 2)
/// for what an image has installed.
/// </summary>
internal sealed class ComposerAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "composer";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) =>
        (entry.FileName == "composer.lock" && !LanguageText.HasDirectory(entry.Path, "vendor"))
        || entry.Path.EndsWith("vendor/composer/installed.json", StringComparison.Ordinal);

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        using var doc = LanguageJson.Parse(file.Content);
        var root = doc.RootElement;
        var packages = new List<Package>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            Read(root, file.Path, dev: false, packages);
        }
        else if (root.Array("packages") is { } list)
        {
            Read(list, file.Path, dev: false, packages);
            if (root.Array("packages-dev") is { } devList)
            {
                Read(devList, file.Path, dev: true, packages);
            }

            // Composer 2's installed.json names the dev packages instead of listing them apart.
            if (root.Array("dev-package-names") is { } devNames)
            {
                var names = devNames.EnumerateArray().Select(n => n.GetString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < packages.Count; i++)
                {
                    packages[i] = packages[i] with { Dev = names.Contains(packages[i].Name) };
                }
            }
        }
        else
        {
            throw new InvalidDataException("Neither a package array nor a 'packages' list: not a Composer file.");
        }

        facts.AddPackages(Type, file.Path, LanguagePackage.Distinct(packages));
    }

    private static void Read(JsonElement list, string path, bool dev, List<Package> packages)
    {
        foreach (var p in list.EnumerateArray())
        {
            if (p.String("name") is { Length: > 0 } name && p.String("version") is { Length: > 0 } version)
            {
                packages.Add(LanguagePackage.Composer(name, version, path, p.Licenses("license"), dev));
            }
        }
    }
}
