using System.Text.Json;
using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Npm;

/// <summary>
/// npm's <c>package-lock.json</c> (and <c>npm-shrinkwrap.json</c>): lockfileVersion 1 nests a
/// <c>dependencies</c> tree; versions 2 and 3 keep a flat <c>packages</c> map keyed by install location
/// (<c>node_modules/a/node_modules/b</c>). Used for <c>scan fs</c>, where nothing is installed yet.
/// </summary>
internal sealed class NpmLockAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "npm-lock";

    // v1 trees are nested one level per conflicting version; real ones stay far below this.
    private const int MaxDepth = 64;

    private const string NodeModules = "node_modules/";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) =>
        entry.FileName is "package-lock.json" or "npm-shrinkwrap.json" && !LanguageText.HasDirectory(entry.Path, "node_modules");

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        using var doc = LanguageJson.Parse(file.Content);
        var root = doc.RootElement;
        var packages = new List<Package>();
        if (root.Object("packages") is { } map)
        {
            ReadPackagesMap(map, file.Path, packages);
        }
        else if (root.Object("dependencies") is { } deps)
        {
            ReadDependencyTree(deps, file.Path, packages, 0);
        }
        else
        {
            throw new InvalidDataException("Neither a 'packages' map (lockfileVersion 2, 3) nor a 'dependencies' tree (lockfileVersion 1).");
        }

        facts.AddPackages(Type, file.Path, LanguagePackage.Distinct(packages));
    }

    /// <summary>
    /// v2/v3. The root (key <c>""</c>) is the project. A <c>link</c> entry points at a workspace folder
    /// whose own entry (a key outside node_modules) is the project's code, not a dependency: both are skipped.
    /// </summary>
    private static void ReadPackagesMap(JsonElement map, string path, List<Package> packages)
    {
        foreach (var entry in map.EnumerateObject())
        {
            var location = entry.Name;
            var info = entry.Value;
            var at = location.LastIndexOf(NodeModules, StringComparison.Ordinal);
            if (at < 0 || info.ValueKind != JsonValueKind.Object || info.Bool("link"))
            {
                continue;
            }

            // An alias ("x": "npm:real@1") is installed at node_modules/x but is the package "real".
            var name = info.String("name") ?? location[(at + NodeModules.Length)..];
            var version = info.String("version");
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version))
            {
                continue;
            }

            packages.Add(LanguagePackage.Npm(name, version, path, info.Licenses("license"), info.Bool("dev")));
        }
    }

    private static void ReadDependencyTree(JsonElement deps, string path, List<Package> packages, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDataException($"The dependency tree nests deeper than {MaxDepth} levels.");
        }

        foreach (var dep in deps.EnumerateObject())
        {
            var info = dep.Value;
            if (info.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var name = dep.Name;
            var version = info.String("version");
            if (version is not null && version.StartsWith("npm:", StringComparison.Ordinal))
            {
                // An alias: "version": "npm:real-name@1.2.3".
                var alias = version[4..];
                var at = alias.LastIndexOf('@');
                if (at > 0)
                {
                    name = alias[..at];
                    version = alias[(at + 1)..];
                }
            }

            // file: and link: versions are local folders of the project, not registry packages.
            if (!string.IsNullOrEmpty(version) && !version.StartsWith("file:", StringComparison.Ordinal) && !version.StartsWith("link:", StringComparison.Ordinal))
            {
                packages.Add(LanguagePackage.Npm(name, version, path, dev: info.Bool("dev")));
            }

            if (info.Object("dependencies") is { } nested)
            {
                ReadDependencyTree(nested, path, packages, depth + 1);
            }
        }
    }
}
