using NuGet.Versioning;

namespace Pipeline.Vulnerabilities.Versions;

/// <summary>
/// NuGet's ordering through NuGet.Versioning: four-part versions normalized (<c>1.0</c> = <c>1.0.0.0</c>),
/// SemVer 2.0 pre-release rules with case-insensitive labels, metadata ignored.
/// </summary>
internal sealed class NuGetVersionComparer : VersionComparer<NuGetVersion>
{
    public static readonly NuGetVersionComparer Instance = new();

    protected override string Kind => "NuGet";

    internal override NuGetVersion? Parse(string version) => NuGetVersion.TryParse(version.Trim(), out var parsed) ? parsed : null;

    internal override int CompareParsed(NuGetVersion x, NuGetVersion y) => NuGet.Versioning.VersionComparer.Default.Compare(x, y);
}
