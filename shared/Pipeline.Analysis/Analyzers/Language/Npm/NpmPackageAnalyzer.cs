using Pipeline.Core.Analysis;

namespace Pipeline.Analysis.Analyzers.Language.Npm;

/// <summary>
/// Installed npm packages: the <c>package.json</c> at the top of each package directory under a
/// <c>node_modules</c> folder. This is what an image really contains, so image scans read these and not the
/// lock files (which may describe dev dependencies that were never installed).
/// </summary>
internal sealed class NpmPackageAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "npm-pkg";

    public string Type => AnalyzerType;

    public int Version => 1;

    /// <summary>
    /// Only <c>node_modules/NAME/package.json</c> and <c>node_modules/@SCOPE/NAME/package.json</c>: packages ship
    /// other package.json files (test fixtures, ESM markers in <c>lib/</c>) that are not installed packages.
    /// </summary>
    public bool Wants(LayerEntry entry) => IsInstalledManifest(entry.Path);

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        using var doc = LanguageJson.Parse(file.Content);
        var root = doc.RootElement;
        var name = root.String("name");
        var version = root.String("version");

        // Without a name and version it is no installable package; a private package is a workspace root,
        // the project itself rather than one of its dependencies.
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(version) || root.Bool("private"))
        {
            return;
        }

        var package = LanguagePackage.Npm(name.Trim(), version.Trim(), file.Path, root.Licenses("license", "licenses"));
        facts.AddPackages(Type, file.Path, [package]);
    }

    internal static bool IsInstalledManifest(string path)
    {
        if (!path.EndsWith("/package.json", StringComparison.Ordinal))
        {
            return false;
        }

        var dir = path[..^"/package.json".Length];
        var nameStart = dir.LastIndexOf('/') + 1;
        if (nameStart <= 0)
        {
            return false;
        }

        var parent = dir[..(nameStart - 1)];
        if (dir[nameStart] != '@' && parent.EndsWith("node_modules", StringComparison.Ordinal) && IsSegmentEnd(parent, "node_modules"))
        {
            return true;
        }

        // A scoped package: node_modules/@scope/name/package.json.
        var scopeStart = parent.LastIndexOf('/') + 1;
        if (scopeStart <= 0 || parent[scopeStart] != '@')
        {
            return false;
        }

        var grandParent = parent[..(scopeStart - 1)];
        return IsSegmentEnd(grandParent, "node_modules");
    }

    private static bool IsSegmentEnd(string dir, string segment) =>
        dir.EndsWith(segment, StringComparison.Ordinal) && (dir.Length == segment.Length || dir[^(segment.Length + 1)] == '/');
}
