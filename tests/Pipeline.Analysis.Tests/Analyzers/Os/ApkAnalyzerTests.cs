using System.Text;
using Pipeline.Analysis.Analyzers.Os.Apk;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Tests.Analyzers.Os;

/// <remarks>
/// Alpine's archive cannot be reached from here, so testdata/os/alpine-3.19/lib/apk/db/installed was written
/// by hand in apk's documented database format (apk-tools' "Installed Database" V2 lines), with the field
/// set, order and values of a real Alpine 3.19 image.
/// </remarks>
public sealed class ApkAnalyzerTests
{
    [Fact]
    public void Analyze_AlpineDatabase_ReadsPackagesOriginsLicensesAndFiles()
    {
        var facts = OsAnalyzerHarness.Run(Path.Combine(OsAnalyzerHarness.TestData, "alpine-3.19"), new ApkAnalyzer());

        Assert.Empty(facts.Errors);
        var set = Assert.Single(facts.PackageSets);
        Assert.Equal("lib/apk/db/installed", set.Path);
        Assert.Equal(
            ["musl 1.2.4_git20230717-r4 x86_64 musl MIT", "busybox 1.36.1-r15 x86_64 busybox GPL-2.0-only",
             "libcrypto3 3.1.4-r5 x86_64 openssl Apache-2.0", "ssl_client 1.36.1-r15 x86_64 busybox GPL-2.0-only"],
            set.Packages.Select(p => $"{p.Name} {p.Version} {p.Arch} {p.SourceName} {string.Join(',', p.Licenses ?? [])}"));
        Assert.All(set.Packages, p => Assert.Equal(PackageTypes.Apk, p.Type));
        Assert.Equal("pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64", set.Packages[2].Purl);

        var busybox = Assert.Single(facts.OwnedFiles, o => o.Package == "busybox");
        Assert.Equal(
            ["bin/busybox", "etc/securetty", "etc/udhcpd.conf", "etc/logrotate.d/acpid", "usr/share/udhcpc/default.script"],
            busybox.Files);
        Assert.Equal(["lib/ld-musl-x86_64.so.1", "lib/libc.musl-x86_64.so.1"], Assert.Single(facts.OwnedFiles, o => o.Package == "musl").Files);
        Assert.Equal(4, facts.OwnedFiles.Count);
    }

    [Fact]
    public void Analyze_DamagedRecords_KeepsGoodOnesAndReportsBadOnes()
    {
        const string db = "P:good\nV:1.0-r0\nA:aarch64\nF:usr/bin\nR:good\n\nP:noversion\nA:x86_64\n\ngarbage line\nP:last\nV:2.0-r1\n";

        var facts = OsAnalyzerHarness.RunBytes(new ApkAnalyzer(), "lib/apk/db/installed", Encoding.UTF8.GetBytes(db));

        var packages = Assert.Single(facts.PackageSets).Packages;
        Assert.Equal(["good", "last"], packages.Select(p => p.Name));
        Assert.Equal("good", packages[0].SourceName);
        Assert.Equal(["usr/bin/good"], Assert.Single(facts.OwnedFiles).Files);
        Assert.Equal(2, facts.Errors.Count);
    }

    [Theory]
    [InlineData("lib/apk/db/installed", true)]
    [InlineData("usr/lib/apk/db/installed", true)]
    [InlineData("lib/apk/db/installed.old", false)]
    [InlineData("home/lib/apk/db/installed", false)]
    public void Wants_ApkPaths_MatchesTheDatabaseOnly(string path, bool wanted) =>
        Assert.Equal(wanted, new ApkAnalyzer().Wants(new Pipeline.Core.Analysis.LayerEntry(path, 10, 0b110_100_100)));
}
