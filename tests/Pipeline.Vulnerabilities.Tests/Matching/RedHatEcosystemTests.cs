using Pipeline.Core.Model;
using Pipeline.TestKit;
using Pipeline.Vulnerabilities.Database;

namespace Pipeline.Vulnerabilities.Tests.Matching;

/// <summary>
/// Red Hat names ecosystems per product stream and repository; a RHEL 9 image must match every
/// <c>Red Hat:enterprise_linux:9::…</c> ecosystem and no other release. The record is synthetic (the id says
/// so): it tests the prefix plumbing and rpm EVR comparison, not an advisory's facts.
/// </summary>
public sealed class RedHatEcosystemTests
{
    [Fact]
    public void Match_Rhel9RpmWithEpoch_MatchesStreamEcosystemsOfItsReleaseOnly()
    {
        var dir = TestPaths.NewTempDir("rhel");
        File.WriteAllText(Path.Combine(dir, "TEST-RHEL-0001.json"), """
            {
              "id": "TEST-RHEL-0001",
              "summary": "synthetic record for ecosystem prefix matching",
              "affected": [
                {"package": {"ecosystem": "Red Hat:enterprise_linux:9::appstream", "name": "openssl-libs"},
                 "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:3.0.7-27.el9"}]}],
                 "database_specific": {"severity": "Important"}},
                {"package": {"ecosystem": "Red Hat:enterprise_linux:8::baseos", "name": "openssl-libs"},
                 "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:9.9.9-1.el8"}]}]}
              ]
            }
            """);
        var path = Path.Combine(dir, "db.sqlite");
        new DatabaseBuilder(TimeProvider.System).Build([dir], path);
        using var db = VulnerabilityDatabase.Open(path);
        var rhel9 = new OsInfo { Family = "rhel", Version = "9.3" };

        Package Rpm(string version, string release, int? epoch) => new() { Name = "openssl-libs", Version = version, Release = release, Epoch = epoch, Type = PackageTypes.Rpm, Path = "var/lib/rpm/rpmdb.sqlite" };

        var finding = Assert.Single(db.Match(rhel9, [Rpm("3.0.7", "24.el9", 1)]));
        Assert.Equal("1:3.0.7-27.el9", finding.FixedVersion);
        Assert.Equal("1:3.0.7-24.el9", finding.InstalledVersion);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Empty(db.Match(rhel9, [Rpm("3.0.7", "27.el9", 1)]));
        Assert.Single(db.Match(rhel9, [Rpm("3.0.8", "1.el9", null)])); // epoch 0 < 1: still older
        Assert.Empty(db.Match(new OsInfo { Family = "rhel", Version = "10.0" }, [Rpm("3.0.7", "24.el9", 1)]));
    }
}
