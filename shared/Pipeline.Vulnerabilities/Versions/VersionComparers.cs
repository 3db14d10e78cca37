namespace Pipeline.Vulnerabilities.Versions;

/// <summary>Chooses the comparer for an OSV ecosystem (the part before the first <c>:</c>, e.g. <c>Debian:12</c> → Debian).</summary>
public static class VersionComparers
{
    /// <summary>The comparer for <paramref name="ecosystem"/>, or null when the ecosystem is not one we order.</summary>
    public static IVersionComparer? ForEcosystem(string ecosystem)
    {
        var colon = ecosystem.IndexOf(':', StringComparison.Ordinal);
        var name = colon >= 0 ? ecosystem[..colon] : ecosystem;
        return name switch
        {
            "Debian" or "Ubuntu" => DpkgVersionComparer.Instance,
            "Alpine" or "Wolfi" or "Chainguard" => ApkVersionComparer.Instance,
            "Red Hat" or "Rocky Linux" or "AlmaLinux" or "openSUSE" or "SUSE" or "Mageia" or "Photon OS" or "openEuler" => RpmVersionComparer.Instance,
            "npm" or "crates.io" => SemVerComparer.Instance,
            "Go" => GoVersionComparer.Instance,
            "NuGet" => NuGetVersionComparer.Instance,
            "PyPI" => Pep440VersionComparer.Instance,
            "Maven" => MavenVersionComparer.Instance,
            "RubyGems" => RubyGemsVersionComparer.Instance,
            "Packagist" => ComposerVersionComparer.Instance,
            _ => null,
        };
    }

    /// <summary>The comparer for OSV ranges of type <c>SEMVER</c>, whatever the ecosystem.</summary>
    public static IVersionComparer SemVer => SemVerComparer.Lenient;
}
