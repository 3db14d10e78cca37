using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Os;

/// <summary>The priorities <see cref="OsReleaseAnalyzer"/> gives each release file (higher wins).</summary>
public static class OsPriority
{
    /// <summary><c>etc/os-release</c>: what the image says it is, overriding the vendor file below it.</summary>
    public const int EtcOsRelease = 100;

    /// <summary><c>usr/lib/os-release</c>: the vendor's copy (etc/os-release is usually a link to it).</summary>
    public const int UsrLibOsRelease = 90;

    /// <summary>redhat-release and kin, alpine-release, SuSE-release: the only source on images older than os-release.</summary>
    public const int DistributionRelease = 50;

    /// <summary><c>etc/lsb-release</c> (Ubuntu): older, and copied unchanged into many derivatives.</summary>
    public const int LsbRelease = 40;

    /// <summary><c>etc/debian_version</c>: names no family by itself (Ubuntu's says <c>bookworm/sid</c>); it refines Debian's version.</summary>
    public const int DebianVersion = 30;

    /// <summary>The priority of a release file at <paramref name="path"/>.</summary>
    public static int Of(string path) => path switch
    {
        "etc/os-release" => EtcOsRelease,
        "usr/lib/os-release" => UsrLibOsRelease,
        "etc/lsb-release" => LsbRelease,
        "etc/debian_version" => DebianVersion,
        _ => DistributionRelease,
    };
}

/// <summary>
/// Turns the OS facts that survive the layer merge into the image's one <see cref="OsInfo"/>.
/// </summary>
/// <remarks>
/// The rule, in order:
/// <list type="number">
/// <item>The winner is the fact with the highest <see cref="OsFact.Priority"/> (ties: the path that sorts
/// first, so the answer never depends on layer order). Family, name and codename come from it.</item>
/// <item>Version refinement: among facts of the winner's family, a version that extends the winner's
/// version at a dot boundary replaces it, the longest such one winning. Debian's os-release says
/// <c>VERSION_ID="12"</c> and debian_version says <c>12.5</c>, so the image is Debian 12.5; CentOS's
/// os-release says <c>7</c> and centos-release says <c>7.9.2009</c>. Ubuntu's debian_version
/// (<c>bookworm/sid</c>) is of another family and never refines Ubuntu.</item>
/// <item>A winner without a version (Debian testing has no VERSION_ID) takes the version of the
/// highest-priority fact of its family that has one (<c>trixie/sid</c>), and a missing codename or name
/// is filled the same way.</item>
/// </list>
/// </remarks>
public static class OsResolver
{
    /// <summary>The image's operating system, or null when no fact names one.</summary>
    public static OsInfo? Resolve(IEnumerable<OsFact> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var ordered = facts
            .Where(f => !string.IsNullOrEmpty(f.Os.Family) && f.Os.Family != "unknown")
            .OrderByDescending(f => f.Priority)
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        if (ordered.Count == 0)
        {
            return null;
        }

        var winner = ordered[0].Os;
        var family = ordered.Where(f => f.Os.Family == winner.Family).Select(f => f.Os).ToList();
        var version = winner.Version;
        if (version.Length == 0)
        {
            version = family.FirstOrDefault(o => o.Version.Length > 0)?.Version ?? string.Empty;
        }
        else
        {
            foreach (var o in family)
            {
                if (o.Version.Length > version.Length && o.Version.StartsWith(version + ".", StringComparison.Ordinal))
                {
                    version = o.Version;
                }
            }
        }

        return winner with
        {
            Version = version,
            Name = winner.Name ?? family.FirstOrDefault(o => o.Name is not null)?.Name,
            Codename = winner.Codename ?? family.FirstOrDefault(o => o.Codename is not null)?.Codename,
        };
    }
}
