using Pipeline.Analysis.Analyzers.Os;
using Pipeline.Core.Analysis;
using Pipeline.Core.Model;
using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Analyzers.Os;

public sealed class OsReleaseAnalyzerTests
{
    [Fact]
    public void Analyze_DebianRoot_ResolvesToDebianVersionPrecision()
    {
        var root = DebianRoot.Path;
        var facts = OsAnalyzerHarness.Run(root, new OsReleaseAnalyzer());

        Assert.Empty(facts.Errors);

        // etc/os-release is a link to usr/lib/os-release in Debian: only the target is a regular file.
        Assert.Contains(facts.Os, f => f.Path == "usr/lib/os-release" && f.Os.Family == "debian" && f.Os.Version == "12");
        var debianVersion = File.ReadAllText(Path.Combine(root, "etc", "debian_version")).Trim();
        Assert.StartsWith("12.", debianVersion, StringComparison.Ordinal);

        var os = OsResolver.Resolve(facts.Os);
        Assert.NotNull(os);
        Assert.Equal("debian", os.Family);
        Assert.Equal(debianVersion, os.Version);
        Assert.Equal("bookworm", os.Codename);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", os.Name);
    }

    [Theory]
    [InlineData("ubuntu-22.04", "ubuntu", "22.04", "jammy", "Ubuntu 22.04.4 LTS")]
    [InlineData("alpine-3.19", "alpine", "3.19.1", null, "Alpine Linux v3.19")]
    [InlineData("rhel-9.3", "rhel", "9.3", "Plow", "Red Hat Enterprise Linux 9.3 (Plow)")]
    [InlineData("rocky-9.3", "rocky", "9.3", "Blue Onyx", "Rocky Linux 9.3 (Blue Onyx)")]
    [InlineData("amazon-2023", "amzn", "2023.3.20240219", "Amazon Linux", "Amazon Linux 2023")]
    [InlineData("amazon-2", "amzn", "2", "Karoo", "Amazon Linux release 2 (Karoo)")]
    [InlineData("centos-7", "centos", "7.9.2009", "Core", "CentOS Linux 7 (Core)")]
    [InlineData("wolfi", "wolfi", "20230201", null, "Wolfi")]
    [InlineData("opensuse-leap-15.5", "opensuse-leap", "15.5", null, "openSUSE Leap 15.5")]
    public void Analyze_ReleaseFixture_ResolvesFamilyVersionCodename(string fixture, string family, string version, string? codename, string name)
    {
        var facts = OsAnalyzerHarness.Run(Path.Combine(OsAnalyzerHarness.TestData, fixture), new OsReleaseAnalyzer());

        Assert.Empty(facts.Errors);
        var os = OsResolver.Resolve(facts.Os);
        Assert.NotNull(os);
        Assert.Equal(family, os.Family);
        Assert.Equal(version, os.Version);
        Assert.Equal(codename, os.Codename);
        Assert.Equal(name, os.Name);
    }

    [Fact]
    public void Analyze_UbuntuFixture_DebianVersionIsAFactButNeverRefinesUbuntu()
    {
        var facts = OsAnalyzerHarness.Run(Path.Combine(OsAnalyzerHarness.TestData, "ubuntu-22.04"), new OsReleaseAnalyzer());

        Assert.Equal(3, facts.Os.Count);
        var dv = Assert.Single(facts.Os, f => f.Path == "etc/debian_version");
        Assert.Equal("debian", dv.Os.Family);
        Assert.Equal("bookworm/sid", dv.Os.Version);
        Assert.Equal(OsPriority.DebianVersion, dv.Priority);
        Assert.Equal(OsPriority.LsbRelease, Assert.Single(facts.Os, f => f.Path == "etc/lsb-release").Priority);
        Assert.Equal(OsPriority.EtcOsRelease, Assert.Single(facts.Os, f => f.Path == "etc/os-release").Priority);
    }

    [Theory]
    [InlineData("etc/os-release", true)]
    [InlineData("usr/lib/os-release", true)]
    [InlineData("etc/SuSE-release", true)]
    [InlineData("etc/debian_version", true)]
    [InlineData("etc/os-release.bak", false)]
    [InlineData("usr/etc/os-release", false)]
    [InlineData("opt/app/etc/os-release", false)]
    public void Wants_ReleasePaths_MatchesExactlyTheKnownFiles(string path, bool wanted) =>
        Assert.Equal(wanted, new OsReleaseAnalyzer().Wants(new LayerEntry(path, 100, 0b110_100_100)));

    [Fact]
    public void ParseOsRelease_QuotedAndEscapedValues_AreUnquoted()
    {
        var os = OsReleaseAnalyzer.ParseOsRelease("# comment\nID='opensuse-leap'\nVERSION_ID=\"15.5\"\nPRETTY_NAME=\"openSUSE \\\"Leap\\\" 15.5\"\n");

        Assert.NotNull(os);
        Assert.Equal("opensuse-leap", os.Family);
        Assert.Equal("15.5", os.Version);
        Assert.Equal("openSUSE \"Leap\" 15.5", os.Name);
    }

    [Theory]
    [InlineData("SUSE Linux Enterprise Server 12 (x86_64)\nVERSION = 12\nPATCHLEVEL = 3\n", "sles", "12.3")]
    [InlineData("openSUSE 42.3 (x86_64)\nVERSION = 42.3\nCODENAME = Malachite\n", "opensuse-leap", "42.3")]
    public void ParseSuseRelease_OldSuseFile_GivesFamilyAndPatchLevel(string text, string family, string version)
    {
        var os = OsReleaseAnalyzer.ParseSuseRelease(text);

        Assert.NotNull(os);
        Assert.Equal(family, os.Family);
        Assert.Equal(version, os.Version);
    }

    [Theory]
    [InlineData("Fedora release 39 (Thirty Nine)", "fedora", "39")]
    [InlineData("AlmaLinux release 9.3 (Shamrock Pampas Cat)", "almalinux", "9.3")]
    [InlineData("Oracle Linux Server release 8.9", "ol", "8.9")]
    [InlineData("CentOS Stream release 9", "centos", "9")]
    [InlineData("Red Hat Enterprise Linux Server release 7.9 (Maipo)", "rhel", "7.9")]
    public void ParseRedHatStyle_ReleaseLine_GivesFamilyAndVersion(string line, string family, string version)
    {
        var os = OsReleaseAnalyzer.ParseRedHatStyle(line + "\n");

        Assert.NotNull(os);
        Assert.Equal(family, os.Family);
        Assert.Equal(version, os.Version);
    }

    [Fact]
    public void Analyze_UnreadableReleaseFile_RecordsErrorAndNoFact()
    {
        var facts = OsAnalyzerHarness.RunBytes(new OsReleaseAnalyzer(), "etc/redhat-release", "something else entirely\n"u8.ToArray());

        Assert.Empty(facts.Os);
        Assert.Single(facts.Errors);
    }

    [Fact]
    public void Resolve_NoVersionInWinner_TakesVersionFromSameFamily()
    {
        // Debian testing: os-release has no VERSION_ID, debian_version says trixie/sid.
        OsFact[] facts =
        [
            new() { Path = "usr/lib/os-release", Priority = OsPriority.UsrLibOsRelease, Os = new OsInfo { Family = "debian", Version = string.Empty, Codename = "trixie" } },
            new() { Path = "etc/debian_version", Priority = OsPriority.DebianVersion, Os = new OsInfo { Family = "debian", Version = "trixie/sid" } },
        ];

        var os = OsResolver.Resolve(facts);

        Assert.NotNull(os);
        Assert.Equal("trixie/sid", os.Version);
        Assert.Equal("trixie", os.Codename);
    }

    [Fact]
    public void Resolve_Nothing_ReturnsNull() => Assert.Null(OsResolver.Resolve([]));
}
