using Pipeline.Analysis.Streams;
using Pipeline.Analysis.Tests.Support;
using Pipeline.Analysis.Walking;
using Pipeline.Core.Images;

namespace Pipeline.Analysis.Tests.Walking;

public sealed class LayerScannerTests
{
    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    [InlineData(LayerCompression.None)]
    public async Task AnalyzeAsync_EachCompression_RecordsFactsAndVerifiesDigests(LayerCompression compression)
    {
        var (blob, layer) = new LayerBuilder()
            .Dir("var/").File("var/pkgs", "bash 5.2\nzlib 1.2.13\n")
            .File("usr/bin/su", "x", (UnixFileMode)0b100_111_101_101)
            .Whiteout("etc/old.conf").Opaque("opt/app")
            .Symlink("etc/alt", "../../../../etc/shadow")
            .Build(compression);
        var analyzer = new LineAnalyzer();

        var facts = await new LayerScanner([analyzer]).AnalyzeAsync(new MemoryStream(blob), layer);

        Assert.Equal(["bash", "zlib"], facts.PackageSets.Single().Packages.Select(p => p.Name));
        Assert.Equal(["etc/old.conf"], facts.Whiteouts);
        Assert.Equal(["opt/app"], facts.OpaqueDirs);
        Assert.Contains("etc/alt", facts.Paths);
        Assert.Equal("usr/bin/su", Assert.Single(facts.SpecialFiles).Path);
        Assert.Equal(layer.DiffId, facts.DiffId);
        Assert.Equal(1, facts.Analyzers["lines"]);
    }

    [Fact]
    public async Task AnalyzeAsync_TamperedBlob_FailsWithDigestMismatch()
    {
        var (blob, layer) = new LayerBuilder().File("var/pkgs", "bash 5.2\n").Build();
        var other = new LayerBuilder().File("var/pkgs", "bash 9.9\n").Build();

        var e = await Assert.ThrowsAsync<LayerDigestMismatchException>(() =>
            new LayerScanner([new LineAnalyzer()]).AnalyzeAsync(new MemoryStream(other.Blob), layer));

        Assert.Contains(layer.Digest, e.Message);
        Assert.Contains(other.Descriptor.Digest, e.Message);
        _ = blob;
    }

    [Fact]
    public async Task AnalyzeAsync_WrongDiffId_FailsWithDigestMismatch()
    {
        var (blob, layer) = new LayerBuilder().File("var/pkgs", "bash 5.2\n").Build();
        var wrong = layer with { DiffId = "sha256:" + new string('0', 64) };

        var e = await Assert.ThrowsAsync<LayerDigestMismatchException>(() =>
            new LayerScanner([new LineAnalyzer()]).AnalyzeAsync(new MemoryStream(blob), wrong));

        Assert.Contains("diffID", e.Message);
    }

    [Fact]
    public async Task AnalyzeAsync_TruncatedBlob_ReportsDigestMismatchRatherThanGzipNoise()
    {
        var (blob, layer) = new LayerBuilder().File("var/pkgs", string.Join('\n', Enumerable.Range(0, 5000).Select(i => $"p{i} {i}"))).Build();

        await Assert.ThrowsAsync<LayerDigestMismatchException>(() =>
            new LayerScanner([new LineAnalyzer()]).AnalyzeAsync(new MemoryStream(blob[..(blob.Length / 2)]), layer));
    }

    [Fact]
    public async Task AnalyzeAsync_NotATar_FailsAsCorruptLayer()
    {
        var garbage = LayerBuilder.Gzip(Enumerable.Range(0, 4096).Select(i => (byte)(i * 7 + 3)).ToArray());
        var layer = new LayerDescriptor
        {
            Digest = LayerBuilder.Sha256(garbage),
            DiffId = "sha256:" + new string('1', 64),
            MediaType = MediaTypes.OciLayerGzip,
        };

        var e = await Assert.ThrowsAsync<CorruptLayerException>(() =>
            new LayerScanner([new LineAnalyzer()]).AnalyzeAsync(new MemoryStream(garbage), layer));
        Assert.Contains(layer.Digest, e.Message);
    }

    [Fact]
    public async Task AnalyzeAsync_DecompressionBomb_IsRefusedAtTheLimit()
    {
        var big = new string('A', 4 * 1024 * 1024);
        var (blob, layer) = new LayerBuilder().File("data/big", big).Build();
        Assert.True(blob.Length < 64 * 1024, "a small blob that inflates to megabytes");

        var e = await Assert.ThrowsAsync<LayerLimitExceededException>(() =>
            new LayerScanner([], new LayerLimits { MaxDecompressedBytes = 1024 * 1024 }).AnalyzeAsync(new MemoryStream(blob), layer));
        Assert.Contains("limit", e.Message);
    }

    [Fact]
    public async Task AnalyzeAsync_TooManyEntries_IsRefused()
    {
        var b = new LayerBuilder();
        for (var i = 0; i < 50; i++)
        {
            b.File($"f/{i}", "x");
        }

        var (blob, layer) = b.Build();
        await Assert.ThrowsAsync<LayerLimitExceededException>(() =>
            new LayerScanner([], new LayerLimits { MaxEntries = 10 }).AnalyzeAsync(new MemoryStream(blob), layer));
    }

    [Fact]
    public async Task AnalyzeAsync_PathTraversal_IsContainedAndRecorded()
    {
        var (blob, layer) = new LayerBuilder().File("../../../var/pkgs", "evil 1\n").File("/abs/pkgs", "abs 1\n").Build();
        var analyzer = new LineAnalyzer();

        var facts = await new LayerScanner([analyzer]).AnalyzeAsync(new MemoryStream(blob), layer);

        Assert.Equal(["var/pkgs", "abs/pkgs"], analyzer.Seen);
        Assert.Contains(facts.Errors, e => e.Analyzer == "walker" && e.Message.Contains("climbs above the root"));
    }

    [Fact]
    public async Task AnalyzeAsync_FileOverPerFileLimit_IsSkippedAndRecorded()
    {
        var (blob, layer) = new LayerBuilder().File("var/pkgs", new string('x', 5000)).Build();
        var analyzer = new LineAnalyzer();

        var facts = await new LayerScanner([analyzer], new LayerLimits { MaxFileBytes = 100 }).AnalyzeAsync(new MemoryStream(blob), layer);

        Assert.Empty(analyzer.Seen);
        Assert.Contains(facts.Errors, e => e.Path == "var/pkgs" && e.Message.Contains("per-file limit"));
    }

    [Fact]
    public async Task AnalyzeAsync_AnalyzerThrows_OtherFilesStillAnalyzed()
    {
        var (blob, layer) = new LayerBuilder().File("a/boom", "x").File("b/pkgs", "zlib 1\n").Build();

        var facts = await new LayerScanner([new LineAnalyzer()]).AnalyzeAsync(new MemoryStream(blob), layer);

        Assert.Equal("zlib", facts.PackageSets.Single().Packages.Single().Name);
        var error = Assert.Single(facts.Errors);
        Assert.Equal(("lines", "a/boom", "corrupt database"), (error.Analyzer, error.Path, error.Message));
    }

    [Fact]
    public void CacheKey_ChangesWithAnalyzerVersionAndDiffId()
    {
        var diff = "sha256:" + new string('a', 64);
        var k1 = new LayerScanner([new LineAnalyzer { Version = 1 }]).CacheKey(diff);
        var k2 = new LayerScanner([new LineAnalyzer { Version = 2 }]).CacheKey(diff);
        var k3 = new LayerScanner([new LineAnalyzer { Version = 1 }]).CacheKey("sha256:" + new string('b', 64));

        Assert.Equal(k1, new LayerScanner([new LineAnalyzer { Version = 1 }]).CacheKey(diff));
        Assert.NotEqual(k1, k2);
        Assert.NotEqual(k1, k3);
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:../../etc/passwd")]
    public async Task AnalyzeAsync_BadDigest_IsRejectedBeforeReading(string digest)
    {
        var (blob, layer) = new LayerBuilder().File("x", "y").Build();
        await Assert.ThrowsAsync<FormatException>(() => new LayerScanner([]).AnalyzeAsync(new MemoryStream(blob), layer with { Digest = digest }));
    }
}
