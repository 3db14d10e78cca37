using System.Text;
using Pipeline.Analysis.Analyzers.Os.Dpkg;
using Pipeline.Core.Analysis;
using Pipeline.Core.Model;
using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Analyzers.Os;

public sealed class DpkgAnalyzerTests
{
    [Fact]
    public void Analyze_DebianRoot_EqualsDpkgQuery()
    {
        var root = DebianRoot.Path;
        var facts = OsAnalyzerHarness.Run(root, new DpkgAnalyzer());

        var set = AssertEqualsDpkgQuery(root, facts);
        Assert.Empty(facts.Errors);
        Assert.All(set.Packages, p =>
        {
            Assert.Equal(PackageTypes.Deb, p.Type);
            Assert.Equal("var/lib/dpkg/status", p.Path);
            Assert.Equal(PackageUrl.Create("deb", "debian", p.Name, p.Version, [new("arch", p.Arch)]), p.Purl);
        });
        var libc = Assert.Single(set.Packages, p => p.Name == "libc6");
        Assert.Equal("glibc", libc.SourceName);
        Assert.Equal($"pkg:deb/debian/libc6@{libc.Version}?arch=amd64", libc.Purl);
    }

    [Fact]
    public void Analyze_RootWithRemovedHeldAndDeselectedPackages_EqualsDpkgQuery()
    {
        var root = TestPaths.NewTempDir("osan-dpkg");
        try
        {
            DebianRoot.CopyTo(root);

            // Real dpkg state changes: adduser removed but its conffiles kept (rc), bash held (hi),
            // tar selected for removal but still installed (ri).
            Tool.Run("dpkg", ["--root=" + root, "--force-depends", "-r", "adduser"]);
            Tool.Sh($"printf 'bash hold\\ntar deinstall\\n' | dpkg --root='{root}' --set-selections");
            var states = Tool.Run("dpkg-query", ["--admindir=" + Path.Combine(root, "var/lib/dpkg"), "-W", "-f", "${Package}=${Status}\n", "adduser", "bash", "tar"]);
            Assert.Equal("adduser=deinstall ok config-files\nbash=hold ok installed\ntar=deinstall ok installed\n", states);

            var facts = OsAnalyzerHarness.Run(root, new DpkgAnalyzer());

            var names = AssertEqualsDpkgQuery(root, facts).Packages.Select(p => p.Name).ToList();
            Assert.DoesNotContain("adduser", names);
            Assert.Contains("bash", names);
            Assert.Contains("tar", names);
        }
        finally
        {
            Tool.Run("rm", ["-rf", root]);
        }
    }

    /// <summary>Asserts the status file's packages equal dpkg-query's installed ones, field by field.</summary>
    private static PackageSet AssertEqualsDpkgQuery(string root, LayerAnalysis facts)
    {
        var expected = Tool.Run("dpkg-query", [
                "--admindir=" + Path.Combine(root, "var/lib/dpkg"), "-W",
                "-f", "${db:Status-Status} ${Package} ${Version} ${Architecture} ${source:Package} ${source:Version}\n"])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith("installed ", StringComparison.Ordinal))
            .Select(l => l["installed ".Length..])
            .Order(StringComparer.Ordinal)
            .ToList();
        var set = Assert.Single(facts.PackageSets);
        Assert.Equal("var/lib/dpkg/status", set.Path);
        var actual = set.Packages
            .Select(p => $"{p.Name} {p.Version} {p.Arch} {p.SourceName} {p.SourceVersion}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(expected.Count > 50, $"dpkg-query listed only {expected.Count} packages");
        Assert.Equal(expected, actual);
        return set;
    }

    [Fact]
    public void Analyze_DebianRoot_OwnedFilesMatchDpkgListingWithoutDirectories()
    {
        var root = DebianRoot.Path;
        var facts = OsAnalyzerHarness.Run(root, new DpkgAnalyzer());

        var bash = Assert.Single(facts.OwnedFiles, o => o.Package == "bash");
        Assert.Equal("var/lib/dpkg/info/bash.list", bash.Path);
        Assert.Contains("bin/bash", bash.Files);
        Assert.DoesNotContain("bin", bash.Files);
        Assert.DoesNotContain(".", bash.Files);
        Assert.DoesNotContain(bash.Files, f => f.StartsWith('/'));

        // dpkg -L lists directories too. Everything that is not a directory in the root must be in ours; the
        // only extras allowed are directories listed without any child (a list cannot tell those from files).
        var listed = Tool.Run("dpkg-query", ["--admindir=" + Path.Combine(root, "var/lib/dpkg"), "-L", "bash"])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimStart('/'))
            .Where(l => l.Length > 0 && l != ".")
            .ToList();
        var files = listed.Where(l => !Directory.Exists(Path.Combine(root, l))).ToList();
        Assert.True(files.Count > 50, $"dpkg -L bash listed only {files.Count} files");
        Assert.Empty(files.Except(bash.Files));
        Assert.All(bash.Files.Except(files), extra =>
        {
            Assert.Contains(extra, listed);
            Assert.True(Directory.Exists(Path.Combine(root, extra)));
            Assert.DoesNotContain(listed, l => l.StartsWith(extra + "/", StringComparison.Ordinal));
        });

        // Multi-arch packages' lists are named libc6:amd64.list.
        var libc = Assert.Single(facts.OwnedFiles, o => o.Package == "libc6");
        Assert.Equal("var/lib/dpkg/info/libc6:amd64.list", libc.Path);
        Assert.Contains("lib/x86_64-linux-gnu/libc.so.6", libc.Files);

        var packages = Assert.Single(facts.PackageSets).Packages.Select(p => p.Name).ToHashSet();
        Assert.All(facts.OwnedFiles, o => Assert.Contains(o.Package, packages));
    }

    [Fact]
    public void Analyze_DistrolessStatusDirectory_OnePackagePerFileAndSkipsMd5sums()
    {
        var facts = OsAnalyzerHarness.Run(Path.Combine(OsAnalyzerHarness.TestData, "distroless"), new DpkgAnalyzer());

        Assert.Empty(facts.Errors);
        Assert.Equal(
            ["var/lib/dpkg/status.d/base-files", "var/lib/dpkg/status.d/libc6", "var/lib/dpkg/status.d/zlib1g"],
            facts.PackageSets.Select(s => s.Path).Order(StringComparer.Ordinal));
        var zlib = Assert.Single(Assert.Single(facts.PackageSets, s => s.Path.EndsWith("zlib1g", StringComparison.Ordinal)).Packages);
        Assert.Equal("zlib1g", zlib.Name);
        Assert.Equal("1:1.2.13.dfsg-1", zlib.Version);
        Assert.Equal("zlib", zlib.SourceName);
        Assert.Equal("1:1.2.13.dfsg-1", zlib.SourceVersion);
        Assert.Equal("amd64", zlib.Arch);
        Assert.Equal("pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64", zlib.Purl);
        var libc = Assert.Single(Assert.Single(facts.PackageSets, s => s.Path.EndsWith("libc6", StringComparison.Ordinal)).Packages);
        Assert.Equal("glibc", libc.SourceName);
    }

    [Fact]
    public void Analyze_StatusWithStatesAndDamage_KeepsInstalledAndReportsTheRest()
    {
        const string status = """
            Package: held
            Status: hold ok installed
            Architecture: amd64
            Version: 1.0-1
            Source: heldsrc (0.9-2)
            Description: a held package
             with a multi-line
             .
             description

            Package: removed
            Status: deinstall ok config-files
            Version: 2.0-1

            Package: broken
            Status: install ok installed
            this line is damaged
            Architecture: all

            Package: halfway
            Status: install reinstreq half-installed
            Version: 3.0

            Package: plain
            Status: install ok installed
            Version: 4.0
            Architecture: all
            Source: plainsrc
            """;

        var facts = OsAnalyzerHarness.RunBytes(new DpkgAnalyzer(), "var/lib/dpkg/status", Encoding.UTF8.GetBytes(status));

        var packages = Assert.Single(facts.PackageSets).Packages;
        Assert.Equal(["held", "plain"], packages.Select(p => p.Name));
        Assert.Equal(("heldsrc", "0.9-2"), (packages[0].SourceName, packages[0].SourceVersion));
        Assert.Equal(("plainsrc", "4.0"), (packages[1].SourceName, packages[1].SourceVersion));
        Assert.Equal(2, facts.Errors.Count);
        Assert.Contains(facts.Errors, e => e.Message.Contains("not a 'Field: value' line", StringComparison.Ordinal));
        Assert.Contains(facts.Errors, e => e.Message.Contains("no Package or Version", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_GarbageStatusFile_ErrorsAreCapped()
    {
        var garbage = string.Concat(Enumerable.Repeat("garbage without a colon\n", 100_000));

        var facts = OsAnalyzerHarness.RunBytes(new DpkgAnalyzer(), "var/lib/dpkg/status", Encoding.UTF8.GetBytes(garbage));

        Assert.Empty(Assert.Single(facts.PackageSets).Packages);
        Assert.Equal(51, facts.Errors.Count);
        Assert.Equal("99950 more errors like these were left out", facts.Errors[^1].Message);
    }

    [Theory]
    [InlineData("var/lib/dpkg/status", true)]
    [InlineData("var/lib/dpkg/status-old", false)]
    [InlineData("var/lib/dpkg/status.d/libc6", true)]
    [InlineData("var/lib/dpkg/status.d/libc6.md5sums", false)]
    [InlineData("var/lib/dpkg/info/bash.list", true)]
    [InlineData("var/lib/dpkg/info/bash.md5sums", false)]
    [InlineData("var/lib/dpkg/info/sub/bash.list", false)]
    [InlineData("opt/var/lib/dpkg/status", false)]
    public void Wants_DpkgPaths_MatchesDatabaseFilesOnly(string path, bool wanted) =>
        Assert.Equal(wanted, new DpkgAnalyzer().Wants(new LayerEntry(path, 10, 0b110_100_100)));

    [Fact]
    public void WithoutDirectories_SiblingWithSharedPrefix_IsKept()
    {
        var files = DpkgAnalyzer.WithoutDirectories(new SortedSet<string>(["usr", "usr/bin", "usr/bin-old", "usr/bin/tool", "usr/lib/x"], StringComparer.Ordinal));

        Assert.Equal(["usr/bin-old", "usr/bin/tool", "usr/lib/x"], files);
    }
}
