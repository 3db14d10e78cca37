using Pipeline.Analysis.Caching;
using Pipeline.Core.Analysis;
using Pipeline.Core.Model;
using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Caching;

public sealed class DirectoryLayerCacheTests
{
    [Fact]
    public async Task PutThenGet_RoundTripsFacts()
    {
        var cache = new DirectoryLayerCache(TestPaths.NewTempDir());
        var analysis = new LayerAnalysis { Digest = "sha256:" + new string('a', 64), DiffId = "sha256:" + new string('b', 64) };
        analysis.AddPackages("dpkg", "var/lib/dpkg/status", [new Package { Name = "bash", Version = "5.2.15-2+b2", Type = "deb", Path = "var/lib/dpkg/status", SourceName = "bash" }]);
        analysis.Whiteouts.Add("etc/x");

        await cache.PutAsync("sha256-abc", analysis);
        var back = await cache.GetAsync("sha256-abc");

        Assert.NotNull(back);
        Assert.Equal("5.2.15-2+b2", back.PackageSets.Single().Packages.Single().Version);
        Assert.Equal(["etc/x"], back.Whiteouts);
        Assert.Null(await cache.GetAsync("sha256-missing"));
    }

    [Fact]
    public async Task Get_CorruptEntry_IsAMiss()
    {
        var dir = TestPaths.NewTempDir();
        await File.WriteAllTextAsync(Path.Combine(dir, "sha256-bad.json"), "{ not json");

        Assert.Null(await new DirectoryLayerCache(dir).GetAsync("sha256-bad"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task Get_KeyThatCouldNameAnotherFile_IsRefused(string key) =>
        await Assert.ThrowsAsync<ArgumentException>(() => new DirectoryLayerCache(TestPaths.NewTempDir()).GetAsync(key));
}
