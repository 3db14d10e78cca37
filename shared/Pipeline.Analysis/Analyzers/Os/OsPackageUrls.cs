using System.Globalization;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Os;

/// <summary>
/// Completes OS packages' purls once the image's operating system is known. A layer cannot know it (the
/// os-release file may sit in another layer), so the analyzers write <c>pkg:deb/debian/…</c> and
/// <c>pkg:apk/alpine/…</c> without a distro; after the merge and <see cref="OsResolver.Resolve"/>, this sets
/// the namespace to the distribution and adds the <c>distro</c> qualifier, as Trivy's purls have them:
/// <c>pkg:deb/ubuntu/bash@5.1-6ubuntu1?arch=amd64&amp;distro=ubuntu-22.04</c>.
/// </summary>
public static class OsPackageUrls
{
    /// <summary>
    /// The package with its purl rebuilt for <paramref name="os"/>; packages of other types, and every
    /// package when the OS is unknown, come back unchanged.
    /// </summary>
    public static Package ForOs(Package package, OsInfo? os)
    {
        ArgumentNullException.ThrowIfNull(package);
        if (os is null || !PackageTypes.IsOs(package.Type) || string.IsNullOrEmpty(os.Family) || os.Family == "unknown")
        {
            return package;
        }

        var distro = os.Version.Length > 0 ? os.Family + "-" + os.Version : os.Family;
        var purl = package.Type switch
        {
            PackageTypes.Rpm => PackageUrl.Create(
                PackageTypes.Rpm,
                RpmNamespace(package.Purl) ?? RpmNamespaceOf(os.Family),
                package.Name,
                package.Release is null ? package.Version : package.Version + "-" + package.Release,
                [new("arch", package.Arch), new("epoch", package.Epoch is > 0 ? package.Epoch.Value.ToString(CultureInfo.InvariantCulture) : null), new("distro", distro)]),
            _ => PackageUrl.Create(package.Type, os.Family, package.Name, package.Version, [new("arch", package.Arch), new("distro", distro)]),
        };
        return package with { Purl = purl };
    }

    /// <summary>The namespace the rpm analyzer took from the package's vendor, if it found one.</summary>
    private static string? RpmNamespace(string? purl)
    {
        const string Prefix = "pkg:rpm/";
        if (purl is null || !purl.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var slash = purl.IndexOf('/', Prefix.Length);
        var at = purl.IndexOf('@', Prefix.Length);
        return slash > 0 && (at < 0 || slash < at) ? purl[Prefix.Length..slash] : null;
    }

    private static string RpmNamespaceOf(string family) => family switch
    {
        "rhel" => "redhat",
        "amzn" => "amazon",
        "ol" => "oracle",
        "opensuse-leap" or "opensuse-tumbleweed" => "opensuse",
        "sles" or "sled" => "suse",
        _ => family,
    };
}
