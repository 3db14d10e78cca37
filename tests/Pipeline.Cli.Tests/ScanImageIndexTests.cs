using Pipeline.TestKit;
using Pipeline.TestKit.Images;
using Pipeline.TestKit.Registry;

namespace Pipeline.Cli.Tests;

/// <summary>An index scans every platform (one result each) unless <c>--platform</c> picks one; archives scan like layouts.</summary>
public sealed class ScanImageIndexTests
{
    private static OciImageBuilder Build(string dir, string arch, string version)
    {
        var rootfs = TestPaths.NewTempDir("index-rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        File.WriteAllText(Path.Combine(rootfs, "etc", "os-release"), $"ID=alpine\nVERSION_ID={version}\n");
        Directory.CreateDirectory(Path.Combine(rootfs, "lib", "apk", "db"));
        File.WriteAllText(Path.Combine(rootfs, "lib", "apk", "db", "installed"), $"C:Q1abc=\nP:busybox\nV:1.36.1-r{(arch == "amd64" ? 15 : 16)}\nA:{(arch == "amd64" ? "x86_64" : "aarch64")}\no:busybox\nL:GPL-2.0-only\n\n");
        return OciImageBuilder.Create(Path.Combine(dir, arch), "1.0").AddLayer(rootfs).Config(user: "65534", architecture: arch);
    }

    private static readonly Lazy<string> Index = new(() =>
    {
        var dir = TestPaths.NewTempDir("index");
        return OciImageBuilder.CreateIndex(Path.Combine(dir, "index"), "multi", Build(dir, "amd64", "3.20.3"), Build(dir, "arm64", "3.20.3"));
    });

    [Fact]
    public void ScanImage_Index_ScansEveryPlatform()
    {
        var result = CliProcess.Run("scan", "image", $"oci:{Index.Value}:multi", "--format", "json", "--no-cache", "-q");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = result.Json();
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["linux/amd64", "linux/arm64"], results.Select(r => r.GetProperty("artifact").GetProperty("platform").GetString()).Order());
        Assert.All(results, r => Assert.Equal("alpine", r.GetProperty("os").GetProperty("family").GetString()));
        Assert.Equal(
            ["1.36.1-r15", "1.36.1-r16"],
            results.Select(r => r.GetProperty("packages")[0].GetProperty("version").GetString()).Order());
    }

    [Fact]
    public void ScanImage_PlatformFilter_PicksOne()
    {
        var result = CliProcess.Run("scan", "image", $"oci:{Index.Value}:multi", "--platform", "linux/arm64", "--format", "json", "--no-cache", "-q");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = result.Json();
        Assert.Equal("linux/arm64", json.RootElement.GetProperty("artifact").GetProperty("platform").GetString());
        Assert.Equal("aarch64", json.RootElement.GetProperty("packages")[0].GetProperty("arch").GetString());
    }

    [Fact]
    public void ScanImage_PlatformNotInIndex_FailsClearly()
    {
        var result = CliProcess.Run("scan", "image", $"oci:{Index.Value}:multi", "--platform", "linux/s390x", "--format", "json", "-q");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("linux/s390x", result.Stderr);
    }

    [Fact]
    public async Task ScanImage_IndexPushedToRegistry_ScansEveryPlatform()
    {
        using var registry = new RegistryFixture(RegistryAuthMode.Anonymous).Start();
        var reference = await registry.PushAsync(Index.Value, "multi", "library/multi");

        var result = CliProcess.Run("scan", "image", reference, "--format", "json", "--no-cache", "-q");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = result.Json();
        Assert.Equal(2, json.RootElement.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public void ScanImage_OciArchiveAndDockerArchive_GiveTheSameInventoryAsTheLayout()
    {
        var dir = TestPaths.NewTempDir("archives");
        var image = Build(dir, "amd64", "3.19.1");
        var ociArchive = image.ToOciArchive(Path.Combine(dir, "image.oci.tar"));
        var dockerArchive = image.ToDockerArchive(Path.Combine(dir, "image.docker.tar"), "example/app:1.0");

        string Packages(string reference)
        {
            var r = CliProcess.Run("scan", "image", reference, "--format", "json", "--no-cache", "-q");
            Assert.True(r.ExitCode == 0, reference + ": " + r.Stderr);
            using var json = r.Json();
            // Layer digests differ by design: a docker-archive stores layers uncompressed.
            return string.Join('\n', json.RootElement.GetProperty("packages").EnumerateArray()
                .Select(p => $"{p.GetProperty("name").GetString()} {p.GetProperty("version").GetString()} {p.GetProperty("purl").GetString()} {p.GetProperty("path").GetString()}"));
        }

        var fromLayout = Packages(image.Reference);
        Assert.Contains("busybox", fromLayout);
        Assert.Equal(fromLayout, Packages("oci-archive:" + ociArchive));
        Assert.Equal(fromLayout, Packages("docker-archive:" + dockerArchive));
    }
}
