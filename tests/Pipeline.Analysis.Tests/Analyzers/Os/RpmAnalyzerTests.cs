using System.Diagnostics;
using Pipeline.Analysis.Analyzers.Os.Rpm;
using Pipeline.Core.Analysis;
using Pipeline.Core.Model;
using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Analyzers.Os;

public sealed class RpmAnalyzerTests
{
    public static TheoryData<string> Formats => ["sqlite", "bdb-le", "bdb-be", "bdb-512", "ndb"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Analyze_RealDatabase_EqualsRpmQueryAll(string format)
    {
        var (path, content) = Database(format);

        var facts = OsAnalyzerHarness.RunBytes(new RpmAnalyzer(), path, content);

        Assert.Empty(facts.Errors);
        var set = Assert.Single(facts.PackageSets);
        Assert.Equal(path, set.Path);
        var actual = set.Packages
            .Select(p => $"{p.Name} {p.Epoch ?? 0} {p.Version} {p.Release} {p.Arch} {p.SourceName}-{p.SourceVersion}.src.rpm")
            .Order(StringComparer.Ordinal);
        Assert.Equal(Expected(format), actual);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Analyze_RealDatabase_EpochVendorLicensePurlAndOwnedFiles(string format)
    {
        var (path, content) = Database(format);

        var facts = OsAnalyzerHarness.RunBytes(new RpmAnalyzer(), path, content);

        var packages = Assert.Single(facts.PackageSets).Packages;
        var demo = Assert.Single(packages, p => p.Name == "osan-demo");
        Assert.Equal(PackageTypes.Rpm, demo.Type);
        Assert.Equal((2, "1.4.1", "3.el9", "x86_64"), (demo.Epoch, demo.Version, demo.Release, demo.Arch));
        Assert.Equal("2:1.4.1-3.el9", demo.FullVersion);
        Assert.Equal(("osan-demo", "1.4.1-3.el9"), (demo.SourceName, demo.SourceVersion));
        Assert.Equal(["MIT AND BSD-3-Clause"], demo.Licenses);
        Assert.Equal("pkg:rpm/redhat/osan-demo@1.4.1-3.el9?arch=x86_64&epoch=2", demo.Purl);

        // Alien's packages have no vendor and epoch 0 is not written.
        var hello = Assert.Single(packages, p => p.Name == "hello");
        Assert.Equal("pkg:rpm/hello@2.10-4?arch=x86_64", hello.Purl);
        Assert.DoesNotContain(packages, p => p.Name == "gpg-pubkey");

        // Directories (/usr/share/osan-demo, .../data) are owned too, but only files are listed.
        var owned = Assert.Single(facts.OwnedFiles, o => o.Package == "osan-demo");
        Assert.Equal(path, owned.Path);
        Assert.Equal(["usr/bin/osan-demo", "usr/share/osan-demo/data/a.txt"], owned.Files);
        Assert.Contains("usr/bin/hello", Assert.Single(facts.OwnedFiles, o => o.Package == "hello").Files);
    }

    [Fact]
    public void Analyze_SqliteDatabase_OwnedFilesEqualRpmFileListWithoutDirectories()
    {
        var facts = OsAnalyzerHarness.Run(RpmDatabases.SqliteRoot, new RpmAnalyzer());

        foreach (var owned in facts.OwnedFiles)
        {
            var expected = Tool.Run("rpm", [
                    "--root", RpmDatabases.SqliteRoot, "--dbpath", "/var/lib/rpm", "-q", owned.Package,
                    "--qf", "[%{FILEMODES:perms} %{FILENAMES}\n]"])
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(l => !l.StartsWith('d'))
                .Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 2)..]);
            Assert.Equal(expected, owned.Files);
        }

        Assert.Equal(4, facts.OwnedFiles.Count);
    }

    [Fact]
    public void Analyze_SysimagePath_IsReadLikeVarLibRpm()
    {
        var tree = TestPaths.NewTempDir("osan-sysimage");
        try
        {
            var target = Directory.CreateDirectory(Path.Combine(tree, "usr", "lib", "sysimage", "rpm")).FullName;
            File.Copy(Path.Combine(RpmDatabases.SqliteRoot, "var", "lib", "rpm", "rpmdb.sqlite"), Path.Combine(target, "rpmdb.sqlite"));
            File.Copy(Path.Combine(RpmDatabases.NdbDir, "Packages.db"), Path.Combine(target, "Packages.db"));

            var facts = OsAnalyzerHarness.Run(tree, new RpmAnalyzer());

            Assert.Empty(facts.Errors);
            Assert.Equal(
                ["usr/lib/sysimage/rpm/Packages.db", "usr/lib/sysimage/rpm/rpmdb.sqlite"],
                facts.PackageSets.Select(s => s.Path).Order(StringComparer.Ordinal));
            Assert.All(facts.PackageSets, s => Assert.Equal(4, s.Packages.Count));
        }
        finally
        {
            Directory.Delete(tree, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Analyze_TruncatedDatabase_ClearErrorAndNoCrash(string format)
    {
        var (path, content) = Database(format);

        foreach (var length in new[] { 0, 16, 100, 600, 4096, content.Length / 3, content.Length / 2, content.Length - 1 })
        {
            var facts = AnalyzeBounded(path, content[..length]);

            Assert.NotEmpty(facts.Errors);
            Assert.All(facts.PackageSets.SelectMany(s => s.Packages), p => Assert.Contains(p.Name, (string[])["hello", "tree", "libpopt0", "osan-demo"]));
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Analyze_GarbledDatabase_NeverThrowsAnythingButInvalidData(string format)
    {
        var (path, content) = Database(format);
        var random = new Random(20261123);

        for (var round = 0; round < 40; round++)
        {
            var garbled = content.ToArray();
            for (var i = 0; i < 1 + (round % 8); i++)
            {
                garbled[random.Next(garbled.Length)] = (byte)random.Next(256);
            }

            // Either a package list (possibly with errors) or an InvalidDataException the harness records.
            AnalyzeBounded(path, garbled);
        }
    }

    [Fact]
    public void Analyze_BerkeleyDbOverflowLoop_StopsWithError()
    {
        var (path, content) = Database("bdb-le");
        var garbled = content.ToArray();

        // Point every overflow page's "next page" at itself: an endless chain unless the reader bounds it.
        const int PageSize = 4096;
        var looped = 0;
        for (var pgno = 1; pgno < garbled.Length / PageSize; pgno++)
        {
            if (garbled[(pgno * PageSize) + 25] == 7)
            {
                BitConverter.TryWriteBytes(garbled.AsSpan((pgno * PageSize) + 16, 4), (uint)pgno);
                looped++;
            }
        }

        Assert.True(looped > 0);
        var facts = AnalyzeBounded(path, garbled);

        Assert.Contains(facts.Errors, e => e.Message.Contains("overflow", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_NdbBlobWithFlippedByte_ReportsChecksumAndKeepsPackage()
    {
        var (path, content) = Database("ndb");
        var garbled = content.ToArray();
        var summary = garbled.AsSpan().IndexOf("Fixture package with an epoch"u8);
        Assert.True(summary > 0);
        garbled[summary] = (byte)'f';

        var facts = AnalyzeBounded(path, garbled);

        Assert.Equal(4, Assert.Single(facts.PackageSets).Packages.Count);
        Assert.Contains(facts.Errors, e => e.Message.Contains("Adler-32", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_NotADatabase_ThrowsInvalidData()
    {
        var analyzer = new RpmAnalyzer();
        var file = new LayerFile(new LayerEntry("var/lib/rpm/Packages", 5000, 0b110_100_100), new byte[5000]);

        var e = Assert.Throws<InvalidDataException>(() => analyzer.Analyze(file, new LayerAnalysis()));
        Assert.Contains("Not an rpm database", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bash-5.1.8-6.el9.src.rpm", "bash", "5.1.8-6.el9")]
    [InlineData("python3.11-3.11.5-1.el9_3.src.rpm", "python3.11", "3.11.5-1.el9_3")]
    [InlineData("glibc-2.34-60.el9.nosrc.rpm", "glibc", "2.34-60.el9")]
    [InlineData("weird", "weird", null)]
    public void SplitSourceRpm_FileName_GivesNameAndVersionRelease(string sourceRpm, string name, string? version) =>
        Assert.Equal((name, version), RpmAnalyzer.SplitSourceRpm(sourceRpm));

    private static LayerAnalysis AnalyzeBounded(string path, byte[] content)
    {
        var watch = Stopwatch.StartNew();
        var facts = OsAnalyzerHarness.RunBytes(new RpmAnalyzer(), path, content);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        return facts;
    }

    private static (string Path, byte[] Content) Database(string format) => format switch
    {
        "sqlite" => ("var/lib/rpm/rpmdb.sqlite", File.ReadAllBytes(Path.Combine(RpmDatabases.SqliteRoot, "var/lib/rpm/rpmdb.sqlite"))),
        "bdb-le" => ("var/lib/rpm/Packages", File.ReadAllBytes(Path.Combine(RpmDatabases.BdbLittleEndianRoot, "var/lib/rpm/Packages"))),
        "bdb-be" => ("var/lib/rpm/Packages", File.ReadAllBytes(Path.Combine(RpmDatabases.BdbBigEndianRoot, "var/lib/rpm/Packages"))),
        "bdb-512" => ("var/lib/rpm/Packages", File.ReadAllBytes(Path.Combine(RpmDatabases.BdbSmallPagesRoot, "var/lib/rpm/Packages"))),
        "ndb" => ("usr/lib/sysimage/rpm/Packages.db", File.ReadAllBytes(Path.Combine(RpmDatabases.NdbDir, "Packages.db"))),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>rpm's own answer: rpm -qa for the formats this rpm reads, the recorded rpm -qa output for ndb.</summary>
    private static List<string> Expected(string format) => format switch
    {
        "sqlite" => RpmDatabases.QueryAll(RpmDatabases.SqliteRoot, "sqlite"),
        "bdb-le" => RpmDatabases.QueryAll(RpmDatabases.BdbLittleEndianRoot, "bdb_ro"),
        "bdb-be" => RpmDatabases.QueryAll(RpmDatabases.BdbBigEndianRoot, "bdb_ro"),
        "bdb-512" => RpmDatabases.QueryAll(RpmDatabases.BdbSmallPagesRoot, "bdb_ro"),
        "ndb" => [.. File.ReadAllLines(Path.Combine(RpmDatabases.NdbDir, "expected.txt")).Where(l => l.Length > 0).Order(StringComparer.Ordinal)],
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
