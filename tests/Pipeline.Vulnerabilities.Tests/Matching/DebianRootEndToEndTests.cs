using Pipeline.Core.Findings;
using Pipeline.Core.Model;
using Pipeline.TestKit;
using Pipeline.Vulnerabilities.Tests.Database;

namespace Pipeline.Vulnerabilities.Tests.Matching;

/// <summary>
/// A real Debian bookworm minbase root (debootstrap), inventoried with dpkg-query itself, matched against
/// the OSV records of testdata/osv: exactly the unfixed apt and zlib advisories fire; the glibc DSA, fixed
/// long before the installed point release, does not.
/// </summary>
public sealed class DebianRootEndToEndTests(OsvTestDatabase db) : IClassFixture<OsvTestDatabase>
{
    [Fact]
    public void Match_BookwormMinbase_ExactlyTheUnfixedAdvisoriesOfItsSourcePackages()
    {
        var root = DebianRoot.Path;
        var packages = Tool.Run("dpkg-query", ["--admindir=" + Path.Combine(root, "var/lib/dpkg"), "-W", "-f", "${Package}\t${Version}\t${source:Package}\t${source:Version}\n"])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(f => new Package
            {
                Name = f[0],
                Version = f[1],
                Type = PackageTypes.Deb,
                SourceName = f[2],
                SourceVersion = f[3],
                Path = "var/lib/dpkg/status",
                Layer = "sha256:base",
            })
            .ToList();
        var os = new OsInfo { Family = "debian", Version = File.ReadAllText(Path.Combine(root, "etc/debian_version")).Trim() };
        Assert.Contains(packages, p => p is { Name: "libc6", SourceName: "glibc" });

        var findings = db.Database.Match(os, packages);

        Assert.Equal(
            [
                "DEBIAN-CVE-2011-3374 apt affected LOW",
                "DEBIAN-CVE-2011-3374 libapt-pkg6.0 affected LOW",
                "DEBIAN-CVE-2023-45853 zlib1g affected CRITICAL",
            ],
            findings.Select(f => $"{f.Id} {f.Package} {(f.Status == FixStatus.Fixed ? "fixed" : "affected")} {f.Severity.ToUpper()}").Order(StringComparer.Ordinal));
        Assert.All(findings, f => Assert.Equal("sha256:base", f.Layer));
    }
}
