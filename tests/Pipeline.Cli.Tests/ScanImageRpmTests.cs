using Pipeline.TestKit;
using Pipeline.TestKit.Images;

namespace Pipeline.Cli.Tests;

/// <summary>
/// An rpm-based image: a root whose rpm database was written by rpm itself (alien-converted Debian packages and
/// one rpmbuild package with an epoch), scanned as an image, equals <c>rpm -qa</c> over the same root.
/// </summary>
public sealed class ScanImageRpmTests
{
    [Fact]
    public void ScanImage_RpmImage_InventoryEqualsRpmQa()
    {
        var work = TestPaths.NewTempDir("rpm-image");
        var script = Path.Combine(TestPaths.RepoRoot, "tests", "Pipeline.Analysis.Tests", "testdata", "os", "rpm", "make-rpmdb.sh");
        Tool.Run("bash", [script, Path.Combine(work, "db")], timeout: TimeSpan.FromMinutes(5));
        var root = Path.Combine(work, "db", "root");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc", "os-release"), "NAME=\"Rocky Linux\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.4\"\n");
        var image = OciImageBuilder.Create(Path.Combine(work, "layout"), "rpm").AddLayer(root);

        var result = CliProcess.Run("scan", "image", image.Reference, "--format", "json", "--no-cache", "-q", "--scanners", "vuln");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var expected = Tool.Run("rpm", ["--root", root, "--dbpath", "/var/lib/rpm", "-qa", "--qf", "%{NAME} %{EPOCHNUM} %{VERSION} %{RELEASE} %{ARCH}\n"])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("gpg-pubkey ", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        using var json = result.Json();
        Assert.Equal("rocky", json.RootElement.GetProperty("os").GetProperty("family").GetString());
        var actual = json.RootElement.GetProperty("packages").EnumerateArray()
            .Where(p => p.GetProperty("type").GetString() == "rpm")
            .Select(p => $"{p.GetProperty("name").GetString()} {(p.TryGetProperty("epoch", out var e) ? e.GetInt32() : 0)} {p.GetProperty("version").GetString()} {p.GetProperty("release").GetString()} {p.GetProperty("arch").GetString()}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
        Assert.Contains(actual, l => l.StartsWith("osan-demo 2 ", StringComparison.Ordinal));
    }
}
