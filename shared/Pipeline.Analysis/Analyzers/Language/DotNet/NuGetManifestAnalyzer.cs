using System.Xml;
using System.Xml.Linq;
using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.DotNet;

/// <summary>
/// NuGet manifests in a source tree: <c>packages.config</c> (<c>&lt;package id version&gt;</c>, the pre-SDK
/// format) and SDK-style project files' <c>PackageReference</c> items with an exact version (attribute or
/// child element). A reference whose version lives in Directory.Packages.props, a property or a range is left
/// out: only a restore knows it, and its lock file says it (<see cref="NuGetLockAnalyzer"/>).
/// </summary>
internal sealed class NuGetManifestAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "nuget-manifest";

    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) =>
        entry.FileName == "packages.config"
        || entry.Path.EndsWith(".csproj", StringComparison.Ordinal)
        || entry.Path.EndsWith(".fsproj", StringComparison.Ordinal)
        || entry.Path.EndsWith(".vbproj", StringComparison.Ordinal);

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        XDocument doc;
        using (var stream = file.OpenRead())
        using (var reader = XmlReader.Create(stream, Settings))
        {
            doc = XDocument.Load(reader);
        }

        var packages = new List<Package>();
        foreach (var e in doc.Descendants())
        {
            switch (e.Name.LocalName)
            {
                case "package" when file.Entry.FileName == "packages.config":
                    Add(packages, (string?)e.Attribute("id"), (string?)e.Attribute("version"), file.Path, (string?)e.Attribute("developmentDependency") == "true");
                    break;
                case "PackageReference":
                    var version = (string?)e.Attribute("Version") ?? e.Elements().FirstOrDefault(c => c.Name.LocalName == "Version")?.Value;
                    var privateAssets = (string?)e.Attribute("PrivateAssets") ?? e.Elements().FirstOrDefault(c => c.Name.LocalName == "PrivateAssets")?.Value;
                    Add(packages, (string?)e.Attribute("Include"), version, file.Path, string.Equals(privateAssets?.Trim(), "all", StringComparison.OrdinalIgnoreCase));
                    break;
            }
        }

        facts.AddPackages(Type, file.Path, LanguagePackage.Distinct(packages));
    }

    private static void Add(List<Package> packages, string? name, string? version, string path, bool dev)
    {
        name = name?.Trim();
        version = version?.Trim();

        // Exact versions only: $(Property), [1.0,2.0) ranges and 1.* floats name no single package.
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version) || version.IndexOfAny(['$', '[', '(', '*', ',']) >= 0)
        {
            return;
        }

        packages.Add(LanguagePackage.NuGet(name, version, path, dev));
    }
}
