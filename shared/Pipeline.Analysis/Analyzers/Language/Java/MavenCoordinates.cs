using System.Text.RegularExpressions;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Java;

/// <summary>A Maven artifact's coordinates, from whichever source a jar offers.</summary>
internal sealed partial record MavenCoordinates(string? GroupId, string ArtifactId, string Version)
{
    public bool IsComplete => !string.IsNullOrEmpty(GroupId);

    public Package ToPackage(string path) => LanguagePackage.Maven(GroupId, ArtifactId, Version, path);

    /// <summary>pom.properties, a Java properties file Maven writes: groupId, artifactId, version.</summary>
    public static MavenCoordinates? FromPomProperties(string text)
    {
        var props = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            var sep = line.IndexOfAny(['=', ':']);
            if (sep > 0)
            {
                props[line[..sep].Trim()] = line[(sep + 1)..].Trim();
            }
        }

        return props.GetValueOrDefault("groupId") is { Length: > 0 } g
            && props.GetValueOrDefault("artifactId") is { Length: > 0 } a
            && props.GetValueOrDefault("version") is { Length: > 0 } v
            ? new MavenCoordinates(g, a, v)
            : null;
    }

    /// <summary>
    /// MANIFEST.MF main attributes, as Trivy and Syft read them: the artifact from the implementation or
    /// specification title or bundle name, the version likewise, the group from Implementation-Vendor-Id or
    /// the bundle's symbolic name without its last segment. Only values that look like identifiers count:
    /// a title such as "Apache Commons Lang" is prose, not an artifactId.
    /// </summary>
    public static MavenCoordinates? FromManifest(Dictionary<string, string> m)
    {
        var artifact = First(m, "Implementation-Title", "Specification-Title", "Bundle-Name");
        var version = First(m, "Implementation-Version", "Specification-Version", "Bundle-Version");
        var symbolic = m.GetValueOrDefault("Bundle-SymbolicName")?.Split(';')[0].Trim();
        var group = First(m, "Implementation-Vendor-Id")
            ?? (symbolic is not null && symbolic.LastIndexOf('.') is > 0 and var dot && IsIdentifier(symbolic) ? symbolic[..dot] : null)
            ?? First(m, "Implementation-Vendor", "Specification-Vendor");
        return artifact is null || version is null ? null : new MavenCoordinates(group, artifact, version);
    }

    /// <summary><c>commons-lang3-3.12.0.jar</c> → commons-lang3, 3.12.0: the version starts at the first <c>-</c> followed by a digit.</summary>
    public static MavenCoordinates? FromFileName(string fileName)
    {
        var m = FileNamePattern().Match(fileName);
        return m.Success ? new MavenCoordinates(null, m.Groups["a"].Value, m.Groups["v"].Value) : null;
    }

    private static string? First(Dictionary<string, string> m, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (m.GetValueOrDefault(key) is { } v && IsIdentifier(v))
            {
                return v;
            }
        }

        return null;
    }

    private static bool IsIdentifier(string s) => Identifier().IsMatch(s);

    [GeneratedRegex(@"^[A-Za-z0-9_.\-+]+$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^(?<a>[A-Za-z0-9_.\-]+?)-(?<v>\d[A-Za-z0-9_.\-+]*)\.(jar|war|ear|par)$", RegexOptions.IgnoreCase)]
    private static partial Regex FileNamePattern();
}

/// <summary>The main section of a jar manifest: <c>Name: value</c> lines wrapped at 72 bytes with a leading space.</summary>
internal static class Manifest
{
    public static Dictionary<string, string> Parse(string text)
    {
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                break; // The main section ends at the first blank line; per-entry sections follow.
            }

            if (line[0] == ' ' && last is not null)
            {
                attributes[last] += line[1..];
                continue;
            }

            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
            {
                last = line[..colon];
                attributes[last] = line[(colon + 2)..];
            }
        }

        foreach (var key in attributes.Keys.ToList())
        {
            attributes[key] = attributes[key].Trim();
        }

        return attributes;
    }
}
