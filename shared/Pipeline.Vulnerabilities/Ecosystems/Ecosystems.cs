using System.Text;
using Pipeline.Core.Model;

namespace Pipeline.Vulnerabilities.Ecosystems;

/// <summary>
/// Where a package's advisories live: which OSV ecosystems apply to it and under which name. OS advisories
/// apply only to the image's own release (<c>Debian:12</c>, <c>Alpine:v3.20</c>); an OS package scanned
/// without a known OS matches nothing rather than every release's advisories.
/// </summary>
public static class OsvEcosystems
{
    /// <summary>
    /// The ecosystems that apply to a package of <paramref name="packageType"/> in an image running
    /// <paramref name="os"/>: exact ecosystem names, and prefixes (ending in <c>:</c>) for families whose
    /// OSV names carry more after the release (<c>Red Hat:enterprise_linux:9::appstream</c>).
    /// Empty when nothing applies.
    /// </summary>
    public static IReadOnlyList<string> For(string packageType, OsInfo? os) => packageType switch
    {
        PackageTypes.Deb or PackageTypes.Apk or PackageTypes.Rpm => os is null ? [] : ForOs(os),
        PackageTypes.Npm => ["npm"],
        PackageTypes.PyPI => ["PyPI"],
        PackageTypes.Golang => ["Go"],
        PackageTypes.Maven => ["Maven"],
        PackageTypes.NuGet => ["NuGet"],
        PackageTypes.Cargo => ["crates.io"],
        PackageTypes.Gem => ["RubyGems"],
        PackageTypes.Composer => ["Packagist"],
        _ => [],
    };

    /// <summary>The OSV ecosystems of an operating system release (see <see cref="For"/>).</summary>
    public static IReadOnlyList<string> ForOs(OsInfo os)
    {
        var version = os.Version.Trim();
        var major = version.Split('.')[0];
        var majorMinor = string.Join('.', version.Split('.').Take(2));
        return os.Family.ToLowerInvariant() switch
        {
            "debian" => [$"Debian:{major}"],
            "ubuntu" => [$"Ubuntu:{majorMinor}", $"Ubuntu:{majorMinor}:LTS", $"Ubuntu:Pro:{majorMinor}:LTS", $"Ubuntu:Pro:FIPS:{majorMinor}:LTS"],
            "alpine" => [$"Alpine:v{majorMinor}"],
            "rocky" => [$"Rocky Linux:{major}"],
            "almalinux" => [$"AlmaLinux:{major}"],

            // Red Hat names its OSV ecosystems per product stream (enterprise_linux, rhel_eus, …) and
            // repository; the image's release is the number after the stream.
            "rhel" or "redhat" => [$"Red Hat:enterprise_linux:{major}:", $"Red Hat:enterprise_linux:{major}"],
            "opensuse-leap" => [$"openSUSE:Leap {majorMinor}"],
            "sles" => [$"SUSE:Linux Enterprise Server {major}"],
            "wolfi" => ["Wolfi"],
            "chainguard" => ["Chainguard"],
            _ => [],
        };
    }

    /// <summary>
    /// The name as stored and looked up: PyPI names PEP 503-normalized, NuGet and Packagist lower-cased
    /// (both registries are case-insensitive), everything else exactly as written.
    /// </summary>
    public static string NormalizeName(string ecosystem, string name)
    {
        var colon = ecosystem.IndexOf(':', StringComparison.Ordinal);
        var family = colon >= 0 ? ecosystem[..colon] : ecosystem;
        return family switch
        {
            "PyPI" => Pep503(name),
            "NuGet" or "Packagist" => name.Trim().ToLowerInvariant(),
            _ => name.Trim(),
        };
    }

    /// <summary>PEP 503: lower-case, runs of <c>-</c>, <c>_</c> and <c>.</c> become one <c>-</c>.</summary>
    public static string Pep503(string name)
    {
        var sb = new StringBuilder(name.Length);
        var inRun = false;
        foreach (var c in name.Trim())
        {
            if (c is '-' or '_' or '.')
            {
                if (!inRun)
                {
                    sb.Append('-');
                }

                inRun = true;
            }
            else
            {
                sb.Append(char.ToLowerInvariant(c));
                inRun = false;
            }
        }

        return sb.ToString();
    }

    /// <summary>The name a package is matched by: the source package for dpkg and apk (origin), the binary name with the full EVR for rpm, the name otherwise.</summary>
    internal static (string Name, string Version) MatchKey(Package package) => package.Type switch
    {
        PackageTypes.Deb => (package.SourceName ?? package.Name, package.SourceVersion ?? package.Version),
        PackageTypes.Apk => (package.SourceName ?? package.Name, package.Version),
        // Red Hat, Rocky and AlmaLinux advisories name binary rpms, with the epoch in the version.
        PackageTypes.Rpm => (package.Name, package.FullVersion),
        _ => (package.Name, package.Version),
    };
}
