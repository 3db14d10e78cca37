using System.IO.Compression;
using System.Text;
using Pipeline.Analysis.Analyzers.Language.Java;
using Pipeline.Core.Analysis;
using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Analyzers.Language.Java;

public sealed class JarAnalyzerTests
{
    private static readonly Dictionary<string, string> GroupByDeb = new()
    {
        ["libcommons-lang3-java"] = "org.apache.commons",
        ["libslf4j-java"] = "org.slf4j",
    };

    private static string Debs => DebianDebs.Extract([.. GroupByDeb.Keys]);

    private static string JavaDir => Path.Combine(Debs, "root", "usr", "share", "java");

    [Fact]
    public void Analyze_DebianJars_CoordinatesMatchDebianVersionedNames()
    {
        // Debian links NAME-UPSTREAMVERSION.jar to each jar it ships: an independent statement of artifact and version.
        var expected = new List<string>();
        foreach (var (deb, group) in GroupByDeb)
        {
            var version = DebianDebs.UpstreamVersion(Debs, deb);
            var listing = Tool.Run("dpkg-deb", ["-c", Directory.GetFiles(Path.Combine(Debs, ".debs"), deb + "_*.deb").Single()]);
            foreach (var line in listing.Split('\n').Where(l => l.Contains($"/usr/share/java/", StringComparison.Ordinal) && l.Contains($"-{version}.jar ->", StringComparison.Ordinal)))
            {
                var name = Path.GetFileName(line[..line.IndexOf(" ->", StringComparison.Ordinal)]);
                expected.Add($"{group}:{name[..^$"-{version}.jar".Length]}@{version}");
            }
        }

        var facts = LanguageAnalyzerHarness.Run(Path.Combine(Debs, "root"), new JarAnalyzer());

        Assert.Empty(facts.Errors);
        Assert.Equal(expected.Order(StringComparer.Ordinal), facts.Packages().Ids());
        var lang = Assert.Single(facts.Packages(), p => p.Name == "org.apache.commons:commons-lang3");
        Assert.Equal("pkg:maven/org.apache.commons/commons-lang3@3.12.0", lang.Purl);
        Assert.Equal("usr/share/java/commons-lang3.jar", lang.Path);
        Assert.Equal("maven", lang.Type);
    }

    [Fact]
    public void Analyze_WarWithNestedJars_EveryLevelWithBangPath()
    {
        var war = Zip(
            ("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nCreated-By: test\r\n"u8.ToArray()),
            ("WEB-INF/lib/commons-lang3-3.12.0.jar", File.ReadAllBytes(Path.Combine(JavaDir, "commons-lang3.jar"))),
            ("WEB-INF/lib/slf4j-api-1.7.32.jar", File.ReadAllBytes(Path.Combine(JavaDir, "slf4j-api.jar"))),
            ("WEB-INF/lib/app-boot.jar", Zip(
                ("META-INF/MANIFEST.MF", Encoding.UTF8.GetBytes("Manifest-Version: 1.0\r\nImplementation-Title: app-boot\r\nImplementation-Version: 2.4.1\r\nImplementation-Vendor-Id: com.example\r\n")),
                ("BOOT-INF/lib/slf4j-simple-1.7.32.jar", File.ReadAllBytes(Path.Combine(JavaDir, "slf4j-simple.jar"))),
                ("BOOT-INF/lib/tiny-util-0.9.2.jar", Zip(("a/B.class", [0xCA, 0xFE, 0xBA, 0xBE]))))));

        var facts = LanguageAnalyzerHarness.RunOne(new JarAnalyzer(), "srv/app/shop-1.0.war", war);

        Assert.Empty(facts.Errors);
        var byPath = facts.Packages().ToDictionary(p => p.Path, p => p.Name + "@" + p.Version);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["srv/app/shop-1.0.war"] = "shop@1.0",
                ["srv/app/shop-1.0.war!/WEB-INF/lib/commons-lang3-3.12.0.jar"] = "org.apache.commons:commons-lang3@3.12.0",
                ["srv/app/shop-1.0.war!/WEB-INF/lib/slf4j-api-1.7.32.jar"] = "org.slf4j:slf4j-api@1.7.32",
                ["srv/app/shop-1.0.war!/WEB-INF/lib/app-boot.jar"] = "com.example:app-boot@2.4.1",
                ["srv/app/shop-1.0.war!/WEB-INF/lib/app-boot.jar!/BOOT-INF/lib/slf4j-simple-1.7.32.jar"] = "org.slf4j:slf4j-simple@1.7.32",
                ["srv/app/shop-1.0.war!/WEB-INF/lib/app-boot.jar!/BOOT-INF/lib/tiny-util-0.9.2.jar"] = "tiny-util@0.9.2",
            },
            byPath);
        Assert.Equal("pkg:maven/tiny-util@0.9.2", facts.Packages().Single(p => p.Name == "tiny-util").Purl);
        Assert.Single(facts.PackageSets);
    }

    [Fact]
    public void Analyze_NestedDeeperThanLimit_DeepestSkippedWithError()
    {
        var jar = Zip(("x.txt", "x"u8.ToArray()));
        for (var level = 6; level >= 1; level--)
        {
            jar = Zip(($"lib/level{level}-1.0.{level}.jar", jar));
        }

        var facts = LanguageAnalyzerHarness.RunOne(new JarAnalyzer(), "outer.jar", jar);

        Assert.Equal(["level1@1.0.1", "level2@1.0.2", "level3@1.0.3", "level4@1.0.4"], facts.Packages().Ids());
        var error = Assert.Single(facts.Errors);
        Assert.EndsWith("level4-1.0.4.jar!/lib/level5-1.0.5.jar", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_NestedBomb_StopsAtInflateLimit()
    {
        // 64 MiB of zeros deflates to about 64 KiB: a nested "jar" that claims little and inflates a lot.
        var bomb = new byte[64 << 20];
        var outer = Zip(
            ("META-INF/maven/com.example/outer/pom.properties", "groupId=com.example\nartifactId=outer\nversion=1.0\n"u8.ToArray()),
            ("lib/bomb-1.0.jar", bomb));
        var limits = new JarLimits { MaxNestedArchiveBytes = 8 << 20 };

        var facts = LanguageAnalyzerHarness.RunOne(new JarAnalyzer(limits), "outer.jar", outer);

        Assert.Equal(["com.example:outer@1.0"], facts.Packages().Ids());
        Assert.Contains("limit", Assert.Single(facts.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_ManyNestedCopies_StopsAtEntryBudget()
    {
        var inner = Zip([.. Enumerable.Range(0, 100).Select(i => ($"f{i}.txt", new byte[] { 1 }))]);
        var outer = Zip([.. Enumerable.Range(0, 50).Select(i => ($"lib/copy{i}-1.0.jar", inner))]);
        var limits = new JarLimits { MaxEntries = 1000 };

        var facts = LanguageAnalyzerHarness.RunOne(new JarAnalyzer(limits), "outer.jar", outer);

        Assert.InRange(facts.Packages().Count, 1, 10);
        Assert.NotEmpty(facts.Errors);
    }

    [Fact]
    public void Analyze_NotAZip_Throws() =>
        Assert.Throws<InvalidDataException>(() => LanguageAnalyzerHarness.RunOne(new JarAnalyzer(), "x.jar", "not a zip at all"u8.ToArray()));

    [Theory]
    [InlineData("usr/share/java/a.jar", true)]
    [InlineData("opt/app/app.WAR", true)]
    [InlineData("opt/app/app.ear", true)]
    [InlineData("opt/app/app.par", true)]
    [InlineData("opt/app/app.zip", false)]
    [InlineData("opt/app/jar", false)]
    public void Wants_Path_JavaArchives(string path, bool expected) =>
        Assert.Equal(expected, new JarAnalyzer().Wants(new LayerEntry(path, 100, 0b110_100_100)));

    [Theory]
    [InlineData("commons-lang3-3.12.0.jar", "commons-lang3", "3.12.0")]
    [InlineData("spring-boot-3.2.0-SNAPSHOT.jar", "spring-boot", "3.2.0-SNAPSHOT")]
    [InlineData("log4j-1.2-api-2.17.1.jar", "log4j", "1.2-api-2.17.1")]
    public void FromFileName_VersionedName_Split(string name, string artifact, string version) =>
        Assert.Equal(new MavenCoordinates(null, artifact, version), MavenCoordinates.FromFileName(name));

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                s.Write(content);
            }
        }

        return ms.ToArray();
    }
}
