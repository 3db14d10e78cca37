using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language;

/// <summary>
/// Builds language packages with the purl each ecosystem's advisories are written against, so every analyzer
/// of one ecosystem names packages the same way (an npm lock and an installed package.json agree).
/// </summary>
internal static partial class LanguagePackage
{
    /// <summary>npm: <c>@scope/name</c> becomes namespace <c>@scope</c> (encoded <c>%40scope</c>) and name.</summary>
    public static Package Npm(string name, string version, string path, IReadOnlyList<string>? licenses = null, bool dev = false)
    {
        var slash = name.StartsWith('@') ? name.IndexOf('/', StringComparison.Ordinal) : -1;
        var purl = slash > 0
            ? PackageUrl.Create(PackageTypes.Npm, name[..slash], name[(slash + 1)..], version)
            : PackageUrl.Create(PackageTypes.Npm, null, name, version);
        return Make(PackageTypes.Npm, name, version, path, purl, licenses, dev);
    }

    /// <summary>PyPI: the name is kept as the metadata states it; the purl uses the PEP 503 normalized name.</summary>
    public static Package PyPI(string name, string version, string path, IReadOnlyList<string>? licenses = null, bool dev = false) =>
        Make(PackageTypes.PyPI, name, version, path, PackageUrl.Create(PackageTypes.PyPI, null, NormalizePythonName(name), version), licenses, dev);

    /// <summary>Go: the module path's last segment is the purl name, the rest its namespace.</summary>
    public static Package Golang(string modulePath, string version, string path)
    {
        var slash = modulePath.LastIndexOf('/');
        var purl = slash > 0
            ? PackageUrl.Create(PackageTypes.Golang, modulePath[..slash], modulePath[(slash + 1)..], NullIfEmpty(version))
            : PackageUrl.Create(PackageTypes.Golang, null, modulePath, NullIfEmpty(version));
        return Make(PackageTypes.Golang, modulePath, version, path, purl, null, false);
    }

    /// <summary>Maven: named <c>groupId:artifactId</c> (the name OSV's Maven advisories use); without a group, the artifact alone.</summary>
    public static Package Maven(string? groupId, string artifactId, string version, string path, IReadOnlyList<string>? licenses = null)
    {
        var name = string.IsNullOrEmpty(groupId) ? artifactId : groupId + ":" + artifactId;
        var purl = PackageUrl.Create(PackageTypes.Maven, NullIfEmpty(groupId), artifactId, version);
        return Make(PackageTypes.Maven, name, version, path, purl, licenses, false);
    }

    public static Package NuGet(string name, string version, string path, bool dev = false) =>
        Make(PackageTypes.NuGet, name, version, path, PackageUrl.Create(PackageTypes.NuGet, null, name, version), null, dev);

    public static Package Cargo(string name, string version, string path) =>
        Make(PackageTypes.Cargo, name, version, path, PackageUrl.Create(PackageTypes.Cargo, null, name, version), null, false);

    public static Package Gem(string name, string version, string path, IReadOnlyList<string>? licenses = null) =>
        Make(PackageTypes.Gem, name, version, path, PackageUrl.Create(PackageTypes.Gem, null, name, version), licenses, false);

    /// <summary>Composer: <c>vendor/name</c> becomes namespace and name.</summary>
    public static Package Composer(string name, string version, string path, IReadOnlyList<string>? licenses = null, bool dev = false)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var purl = slash > 0
            ? PackageUrl.Create(PackageTypes.Composer, name[..slash], name[(slash + 1)..], version)
            : PackageUrl.Create(PackageTypes.Composer, null, name, version);
        return Make(PackageTypes.Composer, name, version, path, purl, licenses, dev);
    }

    /// <summary>PEP 503: lower case, every run of <c>-</c>, <c>_</c> and <c>.</c> becomes one <c>-</c>.</summary>
    public static string NormalizePythonName(string name) => PythonSeparators().Replace(name.Trim(), "-").ToLowerInvariant();

    /// <summary>
    /// Keeps the first package per name and version: a lock file lists one package at several places in
    /// its tree, and the report wants it once per file. A package is dev only if every occurrence is.
    /// </summary>
    public static List<Package> Distinct(IEnumerable<Package> packages)
    {
        var byKey = new Dictionary<(string, string), int>();
        var list = new List<Package>();
        foreach (var p in packages)
        {
            if (byKey.TryGetValue((p.Name, p.Version), out var i))
            {
                if (list[i].Dev && !p.Dev)
                {
                    list[i] = list[i] with { Dev = false };
                }

                continue;
            }

            byKey[(p.Name, p.Version)] = list.Count;
            list.Add(p);
        }

        return list;
    }

    private static Package Make(string type, string name, string version, string path, string purl, IReadOnlyList<string>? licenses, bool dev) => new()
    {
        Name = name,
        Version = version,
        Type = type,
        Path = path,
        Purl = purl,
        Licenses = licenses is { Count: > 0 } ? licenses : null,
        Dev = dev,
    };

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    [GeneratedRegex("[-_.]+")]
    private static partial Regex PythonSeparators();
}

/// <summary>Small helpers for reading the text formats language package managers write.</summary>
internal static class LanguageText
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The content as UTF-8 without a byte-order mark (Windows editors write one into lock files).</summary>
    public static string Read(ReadOnlyMemory<byte> content)
    {
        var span = content.Span;
        if (span.Length >= 3 && span[0] == 0xEF && span[1] == 0xBB && span[2] == 0xBF)
        {
            span = span[3..];
        }

        return Utf8.GetString(span);
    }

    /// <summary>The content without a UTF-8 byte-order mark, for the JSON reader.</summary>
    public static ReadOnlyMemory<byte> WithoutBom(ReadOnlyMemory<byte> content) =>
        content.Length >= 3 && content.Span[0] == 0xEF && content.Span[1] == 0xBB && content.Span[2] == 0xBF ? content[3..] : content;

    /// <summary>True when any directory segment of <paramref name="path"/> equals <paramref name="segment"/>.</summary>
    public static bool HasDirectory(string path, string segment)
    {
        var start = 0;
        while (start < path.Length)
        {
            var end = path.IndexOf('/', start);
            if (end < 0)
            {
                return false;
            }

            if (end - start == segment.Length && string.CompareOrdinal(path, start, segment, 0, segment.Length) == 0)
            {
                return true;
            }

            start = end + 1;
        }

        return false;
    }
}
