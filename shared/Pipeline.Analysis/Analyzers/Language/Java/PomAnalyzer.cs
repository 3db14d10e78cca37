using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Java;

/// <summary>
/// A Maven <c>pom.xml</c> on its own: its declared dependencies with versions stated there, through
/// <c>${property}</c> references and the pom's own <c>dependencyManagement</c>. Versions that only a parent
/// pom or an imported BOM could supply are left out rather than guessed (that needs the Maven repository).
/// Test-scoped dependencies are marked dev.
/// </summary>
internal sealed partial class PomAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "pom";

    // External entities are never resolved (XXE), and entity expansion is bounded (billion laughs).
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
    };

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) =>
        entry.FileName == "pom.xml" && !LanguageText.HasDirectory(entry.Path, "target") && !entry.Path.Contains("META-INF/maven/", StringComparison.Ordinal);

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        XDocument doc;
        using (var stream = file.OpenRead())
        using (var reader = XmlReader.Create(stream, Settings))
        {
            doc = XDocument.Load(reader);
        }

        var project = doc.Root is { Name.LocalName: "project" } root ? root : throw new InvalidDataException("The root element is not <project>: not a Maven pom.");
        var parent = Child(project, "parent");
        var props = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in Child(project, "properties")?.Elements() ?? [])
        {
            props[p.Name.LocalName] = p.Value.Trim();
        }

        var groupId = Text(project, "groupId") ?? Text(parent, "groupId");
        var version = Text(project, "version") ?? Text(parent, "version");
        foreach (var (key, value) in new[] { ("project.groupId", groupId), ("project.version", version), ("pom.version", version), ("version", version), ("project.parent.version", Text(parent, "version")) })
        {
            if (value is not null)
            {
                props.TryAdd(key, value);
            }
        }

        var managed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dep in Dependencies(Child(project, "dependencyManagement")))
        {
            if (Resolve(Text(dep, "version"), props) is { } v)
            {
                managed[Resolve(Text(dep, "groupId"), props) + ":" + Resolve(Text(dep, "artifactId"), props)] = v;
            }
        }

        var packages = new List<Package>();
        foreach (var dep in Dependencies(project))
        {
            var g = Resolve(Text(dep, "groupId"), props);
            var a = Resolve(Text(dep, "artifactId"), props);
            if (g is null || a is null)
            {
                continue;
            }

            var v = Resolve(Text(dep, "version"), props) ?? managed.GetValueOrDefault(g + ":" + a);
            if (v is null || v.StartsWith('[') || v.StartsWith('('))
            {
                continue; // Unknown here, or a range: not a resolved version.
            }

            packages.Add(LanguagePackage.Maven(g, a, v, file.Path) with { Dev = Text(dep, "scope") == "test" });
        }

        facts.AddPackages(Type, file.Path, LanguagePackage.Distinct(packages));
    }

    private static IEnumerable<XElement> Dependencies(XElement? owner) =>
        Child(owner, "dependencies")?.Elements().Where(e => e.Name.LocalName == "dependency") ?? [];

    private static XElement? Child(XElement? e, string name) => e?.Elements().FirstOrDefault(c => c.Name.LocalName == name);

    private static string? Text(XElement? e, string name) => Child(e, name)?.Value.Trim() is { Length: > 0 } v ? v : null;

    /// <summary>Substitutes <c>${name}</c> references (nested ones too, a few rounds); null when any stays unresolved.</summary>
    private static string? Resolve(string? value, Dictionary<string, string> props)
    {
        for (var round = 0; value is not null && value.Contains("${", StringComparison.Ordinal) && round < 8; round++)
        {
            value = PropertyReference().Replace(value, m => props.GetValueOrDefault(m.Groups[1].Value) ?? m.Value);
        }

        return value is null || value.Contains("${", StringComparison.Ordinal) ? null : value;
    }

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex PropertyReference();
}
