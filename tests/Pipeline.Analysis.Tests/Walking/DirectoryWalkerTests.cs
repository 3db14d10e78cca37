using Pipeline.Analysis.Tests.Support;
using Pipeline.Analysis.Walking;
using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Walking;

public sealed class DirectoryWalkerTests
{
    [Fact]
    public async Task WalkAsync_AnalyzesFilesAndNeverFollowsLinks()
    {
        var root = TestPaths.NewTempDir();
        var outside = TestPaths.NewTempDir();
        Directory.CreateDirectory(Path.Combine(root, "app"));
        Directory.CreateDirectory(Path.Combine(root, ".git"));
        await File.WriteAllTextAsync(Path.Combine(root, "app", "pkgs"), "left-pad 1.3.0\n");
        await File.WriteAllTextAsync(Path.Combine(root, ".git", "pkgs"), "ignored 1\n");
        await File.WriteAllTextAsync(Path.Combine(outside, "pkgs"), "outside 1\n");
        File.CreateSymbolicLink(Path.Combine(root, "escape"), outside);
        File.CreateSymbolicLink(Path.Combine(root, "app", "link-pkgs"), Path.Combine(outside, "pkgs"));
        var analyzer = new LineAnalyzer();

        var facts = await new DirectoryWalker([analyzer]).WalkAsync(root);

        Assert.Equal(["app/pkgs"], analyzer.Seen);
        Assert.Equal("left-pad", facts.PackageSets.Single().Packages.Single().Name);
    }

    [Fact]
    public async Task WalkAsync_MissingDirectory_FailsClearly() =>
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => new DirectoryWalker([]).WalkAsync("/nonexistent/" + Guid.NewGuid()));
}
