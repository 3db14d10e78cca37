using NuGet.Versioning;

namespace Pipeline.Vulnerabilities.Versions;

/// <summary>
/// NuGet's ordering through NuGet.Versioning: four-part versions normalized (<c>1.0</c> = <c>1.0.0.0</c>),
/// SemVer 2.0 pre-release rules with case-insensitive labels, metadata ignored.
/// </summary>
internal sealed class NuGetVersionComparer : IVersionComparer
{
    public static readonly NuGetVersionComparer Instance = new();

    public int Compare(string a, string b) => VersionComparer.Default.Compare(Parse(a), Parse(b));

    public bool IsValid(string version) => NuGetVersion.TryParse(version.Trim(), out _);

    private static NuGetVersion Parse(string v) =>
        NuGetVersion.TryParse(v.Trim(), out var parsed) ? parsed : throw new FormatException($"Invalid NuGet version '{v}'.");
}
