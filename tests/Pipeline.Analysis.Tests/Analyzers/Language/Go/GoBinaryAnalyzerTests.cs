using Pipeline.Analysis.Analyzers.Language.Go;
using Pipeline.Core.Analysis;
using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Analyzers.Language.Go;

public sealed class GoBinaryAnalyzerTests
{
    [Theory]
    [InlineData("/usr/bin/docker-registry")]
    [InlineData("/usr/bin/skopeo")]
    [InlineData("/usr/bin/umoci")]
    public void Read_DebianGoBinary_MatchesGoVersionM(string binary)
    {
        var (goVersion, lines) = GoFixture.GoVersionM(binary);

        var info = GoBuildInfoReader.Read(File.ReadAllBytes(binary));

        Assert.NotNull(info);
        Assert.Equal(goVersion, info.GoVersion);
        Assert.Equal(lines.Single(l => l[0] == "path")[1], info.Path);
        Assert.Equal(lines.Where(l => l[0] == "dep").Select(l => l[1] + "@" + l[2]), info.Deps.Select(d => d.Path + "@" + d.Version));
    }

    [Fact]
    public void Analyze_DebianDockerRegistry_StdlibAtGoVersion()
    {
        var (goVersion, _) = GoFixture.GoVersionM("/usr/bin/docker-registry");
        var root = TestPaths.NewTempDir();
        Directory.CreateDirectory(Path.Combine(root, "usr", "bin"));
        File.Copy("/usr/bin/docker-registry", Path.Combine(root, "usr", "bin", "docker-registry"));

        var facts = LanguageAnalyzerHarness.Run(root, new GoBinaryAnalyzer());

        Assert.Empty(facts.Errors);
        var stdlib = Assert.Single(facts.Packages(), p => p.Name == "stdlib");
        Assert.Equal("v" + goVersion[2..], stdlib.Version);
        Assert.Equal($"pkg:golang/stdlib@v{goVersion[2..]}", stdlib.Purl);
        Assert.Equal("usr/bin/docker-registry", stdlib.Path);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("hello.exe")]
    public void Read_OwnBuildWithModules_MainDepsAndReplacement(string binary)
    {
        var path = Path.Combine(GoFixture.Path, binary);
        var (goVersion, lines) = GoFixture.GoVersionM(path);

        var info = GoBuildInfoReader.Read(File.ReadAllBytes(path));

        Assert.NotNull(info);
        Assert.Equal(goVersion, info.GoVersion);
        Assert.Equal("example.com/hello", info.Path);
        Assert.Equal(new GoModule("example.com/hello", "(devel)", string.Empty), info.Main);
        Assert.Equal(lines.Where(l => l[0] == "dep").Select(l => l[1] + "@" + l[2]), info.Deps.Select(d => d.Path + "@" + d.Version));
        var old = Assert.Single(info.Deps, d => d.Path == "example.com/old");
        Assert.Equal("example.com/new", old.Replace?.Path);
        Assert.Equal("v1.1.0", old.Replace?.Version);
    }

    [Fact]
    public void Analyze_OwnBuild_ReplacedModuleReportedAsReplacement()
    {
        var facts = LanguageAnalyzerHarness.Run(GoFixture.Path, new GoBinaryAnalyzer());

        Assert.Empty(facts.Errors);
        var hello = facts.PackageSets.Single(s => s.Path == "hello").Packages;
        var (goVersion, _) = GoFixture.GoVersionM(Path.Combine(GoFixture.Path, "hello"));
        Assert.Equal(["example.com/greet@v1.2.3", "example.com/hello@", "example.com/new@v1.1.0", $"stdlib@v{goVersion[2..]}"], hello.Ids());
        Assert.Equal("pkg:golang/example.com/greet@v1.2.3", hello.Single(p => p.Name == "example.com/greet").Purl);
        Assert.Equal("pkg:golang/example.com/hello", hello.Single(p => p.Name == "example.com/hello").Purl);
        Assert.All(hello, p => Assert.Equal("golang", p.Type));
    }

    [Fact]
    public void Analyze_ThisMachinesUsrBin_FindsExactlyTheBinariesGoVersionFinds()
    {
        // `go version DIR` names every Go binary in DIR, with its Go version. It follows links; a layer walk
        // does not (a link is an entry of its own), so links are left out of the comparison.
        var expected = Tool.Run("go", ["version", "/usr/bin"]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(": ")).Where(f => f.Length == 2 && new FileInfo(f[0]).LinkTarget is null)
            .Select(f => Path.GetRelativePath("/usr/bin", f[0]) + " " + GoBinaryAnalyzer.StdlibVersion(f[1].Trim()))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Contains(expected, e => e.StartsWith("skopeo ", StringComparison.Ordinal));

        var facts = LanguageAnalyzerHarness.Run("/usr/bin", new GoBinaryAnalyzer());

        Assert.Empty(facts.Errors);
        var found = facts.PackageSets.Select(s => s.Path + " " + s.Packages.Single(p => p.Name == "stdlib").Version).Order(StringComparer.Ordinal);
        Assert.Equal(expected, found);
    }

    [Fact]
    public void Read_NotGo_Null()
    {
        Assert.Null(GoBuildInfoReader.Read(File.ReadAllBytes("/bin/ls")));
        Assert.Null(GoBuildInfoReader.Read("#!/bin/sh\necho hi\n"u8));
    }

    [Fact]
    public void Read_TruncatedGoBinary_NullOrInvalidData()
    {
        var bytes = File.ReadAllBytes(Path.Combine(GoFixture.Path, "hello"));
        foreach (var length in new[] { 64, 4096, bytes.Length / 2, bytes.Length - 100 })
        {
            try
            {
                GoBuildInfoReader.Read(bytes.AsSpan(0, length));
            }
            catch (InvalidDataException)
            {
                // Also acceptable: a clear error for a corrupt file.
            }
        }
    }

    [Fact]
    public void Analyze_ContentCutByWalkerLimit_ErrorNotCrash()
    {
        var bytes = File.ReadAllBytes(Path.Combine(GoFixture.Path, "hello"));
        var entry = new LayerEntry("usr/bin/hello", bytes.Length, 0b111_101_101);
        var facts = new LayerAnalysis();

        new GoBinaryAnalyzer().Analyze(new LayerFile(entry, bytes.AsMemory(0, 4096)), facts);

        Assert.Empty(facts.PackageSets);
        Assert.Contains("4096", Assert.Single(facts.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PointerFormat_FollowsStringHeadersThroughLoadSegment()
    {
        // Go before 1.18 stored two pointers to Go string headers. No such binary is installable here, so this
        // lays out a minimal ELF64 by the format's definition (cmd/link, debug/buildinfo): one PT_LOAD
        // mapping the file at 0x400000, no section headers, so the reader must also find the magic by search.
        var elf = new byte[0x600];
        const ulong Base = 0x400000;
        "\u007fELF"u8.CopyTo(elf);
        elf[4] = 2; // 64-bit
        elf[5] = 1; // little endian
        BitConverter.TryWriteBytes(elf.AsSpan(0x20), 64UL); // e_phoff
        BitConverter.TryWriteBytes(elf.AsSpan(0x36), (ushort)56); // e_phentsize
        BitConverter.TryWriteBytes(elf.AsSpan(0x38), (ushort)1); // e_phnum
        BitConverter.TryWriteBytes(elf.AsSpan(64), 1U); // PT_LOAD
        BitConverter.TryWriteBytes(elf.AsSpan(64 + 8), 0UL); // p_offset
        BitConverter.TryWriteBytes(elf.AsSpan(64 + 16), Base); // p_vaddr
        BitConverter.TryWriteBytes(elf.AsSpan(64 + 32), (ulong)elf.Length); // p_filesz
        byte[] magic = [0xff, .. " Go buildinf:"u8];
        magic.CopyTo(elf.AsSpan(0x100));
        elf[0x100 + 14] = 8; // pointer size
        elf[0x100 + 15] = 0; // flags: little endian, pointer format
        BitConverter.TryWriteBytes(elf.AsSpan(0x110), Base + 0x200);
        BitConverter.TryWriteBytes(elf.AsSpan(0x118), Base + 0x210);
        var version = "go1.16.15"u8.ToArray();
        var mod = System.Text.Encoding.UTF8.GetBytes("0123456789abcdef" + "path\texample.com/x\nmod\texample.com/x\tv0.1.0\t\ndep\tgolang.org/x/text\tv0.3.7\th1:x\n" + "0123456789abcdef");
        BitConverter.TryWriteBytes(elf.AsSpan(0x200), Base + 0x300);
        BitConverter.TryWriteBytes(elf.AsSpan(0x208), (ulong)version.Length);
        BitConverter.TryWriteBytes(elf.AsSpan(0x210), Base + 0x400);
        BitConverter.TryWriteBytes(elf.AsSpan(0x218), (ulong)mod.Length);
        version.CopyTo(elf.AsSpan(0x300));
        mod.CopyTo(elf.AsSpan(0x400));

        var info = GoBuildInfoReader.Read(elf);

        Assert.NotNull(info);
        Assert.Equal("go1.16.15", info.GoVersion);
        Assert.Equal(new GoModule("example.com/x", "v0.1.0", string.Empty), info.Main);
        Assert.Equal(["golang.org/x/text@v0.3.7"], info.Deps.Select(d => d.Path + "@" + d.Version));
        Assert.Equal(["example.com/x@v0.1.0", "golang.org/x/text@v0.3.7", "stdlib@v1.16.15"], GoBinaryAnalyzer.Packages(info, "x").Ids());

        // The same header pointing outside every segment is a clear error, not a crash.
        BitConverter.TryWriteBytes(elf.AsSpan(0x110), Base + 0x100000);
        Assert.Null(GoBuildInfoReader.Read(elf));
    }

    [Theory]
    [InlineData("usr/bin/app", 0b111_101_101, 10_000_000, true)]
    [InlineData("usr/bin/app", 0b110_100_100, 10_000_000, false)]
    [InlineData("usr/bin/tiny", 0b111_101_101, 1000, false)]
    [InlineData("usr/bin/script.sh", 0b111_101_101, 10_000_000, false)]
    [InlineData("usr/lib/x/libfoo.so", 0b111_101_101, 10_000_000, false)]
    public void Wants_Entry_LargeExecutablesOnly(string path, int mode, long size, bool expected) =>
        Assert.Equal(expected, new GoBinaryAnalyzer().Wants(new LayerEntry(path, size, mode)));

    [Theory]
    [InlineData("go1.19.8", "v1.19.8")]
    [InlineData("go1.21.0 X:boringcrypto", "v1.21.0")]
    [InlineData("go1.22rc1", "v1.22rc1")]
    [InlineData("devel go1.23-abc", null)]
    public void StdlibVersion_GoVersion_Semver(string goVersion, string? expected) =>
        Assert.Equal(expected, GoBinaryAnalyzer.StdlibVersion(goVersion));
}
