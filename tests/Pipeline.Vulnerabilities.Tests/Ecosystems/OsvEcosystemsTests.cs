using Pipeline.Core.Model;
using Pipeline.Vulnerabilities.Ecosystems;

namespace Pipeline.Vulnerabilities.Tests.Ecosystems;

public sealed class OsvEcosystemsTests
{
    [Theory]
    [InlineData("debian", "12.5", "Debian:12")]
    [InlineData("ubuntu", "22.04", "Ubuntu:22.04|Ubuntu:22.04:LTS|Ubuntu:Pro:22.04:LTS|Ubuntu:Pro:FIPS:22.04:LTS")]
    [InlineData("alpine", "3.20.3", "Alpine:v3.20")]
    [InlineData("rocky", "9.3", "Rocky Linux:9")]
    [InlineData("almalinux", "8.10", "AlmaLinux:8")]
    [InlineData("rhel", "9.4", "Red Hat:enterprise_linux:9:|Red Hat:enterprise_linux:9")]
    [InlineData("plan9", "4", "")]
    public void ForOs_Release_OnlyThatReleasesEcosystems(string family, string version, string expected)
    {
        Assert.Equal(expected, string.Join('|', OsvEcosystems.ForOs(new OsInfo { Family = family, Version = version })));
    }

    [Theory]
    [InlineData(PackageTypes.Golang, "Go")]
    [InlineData(PackageTypes.Cargo, "crates.io")]
    [InlineData(PackageTypes.Gem, "RubyGems")]
    [InlineData(PackageTypes.Composer, "Packagist")]
    [InlineData(PackageTypes.NuGet, "NuGet")]
    public void For_LanguagePackage_EcosystemWhateverTheOs(string type, string ecosystem)
    {
        Assert.Equal([ecosystem], OsvEcosystems.For(type, null));
    }

    [Theory]
    [InlineData("PyPI", "Zope.Interface", "zope-interface")]
    [InlineData("PyPI", "typing__extensions", "typing-extensions")]
    [InlineData("NuGet", "Newtonsoft.Json", "newtonsoft.json")]
    [InlineData("npm", "@Babel/traverse", "@Babel/traverse")]
    [InlineData("Maven", "org.apache.logging.log4j:log4j-core", "org.apache.logging.log4j:log4j-core")]
    public void NormalizeName_PerEcosystemRules(string ecosystem, string name, string expected)
    {
        Assert.Equal(expected, OsvEcosystems.NormalizeName(ecosystem, name));
    }

    [Fact]
    public void MatchKey_RpmUsesBinaryNameAndFullEvr()
    {
        var p = new Package { Name = "openssl-libs", Version = "3.0.7", Release = "27.el9", Epoch = 1, Type = PackageTypes.Rpm, SourceName = "openssl-3.0.7-27.el9.src.rpm", Path = "var/lib/rpm/rpmdb.sqlite" };
        Assert.Equal(("openssl-libs", "1:3.0.7-27.el9"), OsvEcosystems.MatchKey(p));
    }
}
