using System.Text.Json.Serialization;

namespace Pipeline.Core.Model;

/// <summary>
/// One installed package, as an analyzer found it. Analyzers fill what the file states; the merge stamps
/// <see cref="Layer"/>. Versions are kept exactly as the package manager records them, because matching
/// compares them with that ecosystem's own rules.
/// </summary>
public sealed record Package
{
    public required string Name { get; init; }

    /// <summary>
    /// The version as the package manager records it. dpkg and apk: the whole version (epoch, upstream,
    /// revision). rpm: the version only; <see cref="Epoch"/> and <see cref="Release"/> hold the rest.
    /// </summary>
    public required string Version { get; init; }

    /// <summary>One of <see cref="PackageTypes"/> (deb, apk, rpm, npm, pypi, golang, maven, nuget, …).</summary>
    public required string Type { get; init; }

    /// <summary>rpm epoch, when the package has one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Epoch { get; init; }

    /// <summary>rpm release.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Release { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Arch { get; init; }

    /// <summary>
    /// The source package (dpkg <c>Source:</c>, apk origin, rpm source rpm name). Debian, Ubuntu and Alpine
    /// advisories are written against it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SourceName { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SourceVersion { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Purl { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Licenses { get; init; }

    /// <summary>
    /// True for a development-only dependency, as a lock file states it (npm <c>dev</c>, Pipfile.lock
    /// <c>develop</c>, composer <c>packages-dev</c>). Installed packages never set it: what is installed is used.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Dev { get; init; }

    /// <summary>Digest of the layer that introduced this package (set by the merge).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Layer { get; init; }

    /// <summary>
    /// The file the package was read from, without a leading slash (the dpkg status file, a package.json,
    /// a jar, a Go binary). Language packages inside a jar use <c>app.jar!/inner.jar</c>.
    /// </summary>
    public required string Path { get; init; }

    /// <summary>The full rpm version <c>[epoch:]version-release</c>, or <see cref="Version"/> for every other type.</summary>
    [JsonIgnore]
    public string FullVersion => Type == PackageTypes.Rpm && Release is not null
        ? (Epoch is > 0 ? $"{Epoch}:" : string.Empty) + Version + "-" + Release
        : Version;
}
