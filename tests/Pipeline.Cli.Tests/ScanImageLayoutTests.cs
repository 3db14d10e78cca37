using System.Text.Json;
using Pipeline.TestKit;
using Pipeline.TestKit.Fixtures;

namespace Pipeline.Cli.Tests;

/// <summary>
/// <c>pipeline scan image</c> on a real image: a debootstrap root plus a layer that adds, changes and
/// deletes files and installs packages with dpkg, in an OCI layout made by umoci.
/// </summary>
public sealed class ScanImageLayoutTests
{
    [Fact]
    public void ScanImage_OciLayout_InventoryEqualsDpkgQueryOverTheSameRoot()
    {
        var result = CliProcess.Run("scan", "image", $"oci:{DebianTestImage.Layout}:app", "--format", "json", "--no-cache", "-q", "--scanners", "vuln");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = result.Json();
        var root = json.RootElement;
        Assert.Equal("debian", root.GetProperty("os").GetProperty("family").GetString());
        Assert.StartsWith("12.", root.GetProperty("os").GetProperty("version").GetString());

        var expected = Tool.Run("dpkg-query", ["--admindir=" + Path.Combine(DebianTestImage.AppRoot, "var/lib/dpkg"), "-W", "-f", "${db:Status-Status} ${Package} ${Version} ${Architecture} ${source:Package} ${source:Version}\n"])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("config-files ", StringComparison.Ordinal) && !l.StartsWith("not-installed ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..])
            .Order(StringComparer.Ordinal).ToList();
        var actual = root.GetProperty("packages").EnumerateArray()
            .Where(p => p.GetProperty("type").GetString() == "deb")
            .Select(p => $"{p.GetProperty("name").GetString()} {p.GetProperty("version").GetString()} {p.GetProperty("arch").GetString()} {p.GetProperty("sourceName").GetString()} {p.GetProperty("sourceVersion").GetString()}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ScanImage_PackagesAreStampedWithTheLayerThatIntroducedThem()
    {
        var result = CliProcess.Run("scan", "image", $"oci:{DebianTestImage.Layout}:app", "--format", "json", "--no-cache", "-q");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = result.Json();
        var layers = json.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()).ToList();
        Assert.Equal(2, layers.Count);
        var packages = json.RootElement.GetProperty("packages").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("layer").GetString());
        Assert.Equal(layers[0], packages["bash"]);
        Assert.Equal(layers[0], packages["libc6"]);
        Assert.Equal(layers[1], packages["jq"]);
        Assert.Equal(layers[1], packages["libonig5"]);
        Assert.All(json.RootElement.GetProperty("packages").EnumerateArray(), p => Assert.StartsWith("pkg:", p.GetProperty("purl").GetString()));
    }

    [Fact]
    public void ScanImage_WarmCache_AnalyzesNoLayerAgainAndGivesTheSameInventory()
    {
        var cache = TestPaths.NewTempDir();
        var cold = CliProcess.Run("scan", "image", $"oci:{DebianTestImage.Layout}:app", "--format", "json", "--cache-dir", cache, "-q");
        var warm = CliProcess.Run("scan", "image", $"oci:{DebianTestImage.Layout}:app", "--format", "json", "--cache-dir", cache, "-q");

        Assert.True(cold.ExitCode == 0 && warm.ExitCode == 0, cold.Stderr + warm.Stderr);
        using var c = cold.Json();
        using var w = warm.Json();
        Assert.All(c.RootElement.GetProperty("layers").EnumerateArray(), l => Assert.Equal("analyzed", l.GetProperty("status").GetString()));
        Assert.All(w.RootElement.GetProperty("layers").EnumerateArray(), l => Assert.Equal("cached", l.GetProperty("status").GetString()));
        Assert.Equal(
            c.RootElement.GetProperty("packages").GetRawText(),
            w.RootElement.GetProperty("packages").GetRawText());
    }

    [Fact]
    public void ScanImage_CycloneDx_ListsPurlsAndLayers()
    {
        var result = CliProcess.Run("scan", "image", $"oci:{DebianTestImage.Layout}:app", "--format", "cyclonedx", "--no-cache", "-q");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = result.Json();
        Assert.Equal("1.6", json.RootElement.GetProperty("specVersion").GetString());
        var jq = json.RootElement.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "jq");
        Assert.StartsWith("pkg:deb/debian/jq@", jq.GetProperty("purl").GetString());
        Assert.Contains(jq.GetProperty("properties").EnumerateArray(), p => p.GetProperty("name").GetString() == "pipeline:layer:digest");
    }

    [Fact]
    public void ScanImage_MissingLayout_FailsWithOneClearLine()
    {
        var result = CliProcess.Run("scan", "image", "oci:/nonexistent/layout", "--format", "json", "-q");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.StartsWith("error: ", line);
    }

    [Fact]
    public void ScanImage_UnreachableRegistry_FailsWithOneClearLine()
    {
        var result = CliProcess.Run("scan", "image", "127.0.0.1:1/nothing/here:1", "--format", "json", "-q");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.StartsWith("error: ", line);
        Assert.Contains("127.0.0.1:1", line);
    }

    [Fact]
    public void ScanImage_BadFormat_IsAUsageError()
    {
        var result = CliProcess.Run("scan", "image", $"oci:{DebianTestImage.Layout}:app", "--format", "xml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unknown format 'xml'", result.Stderr);
    }

    [Theory]
    [InlineData("scan", "image")]
    [InlineData("scan", "image", "oci:x", "--bogus")]
    [InlineData("scan", "nothing")]
    public void UsageErrors_ExitTwoWithAClearMessage(params string[] args)
    {
        var result = CliProcess.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr);
    }

    [Fact]
    public void ScanImage_LayerOverTheConfiguredLimit_IsRefusedClearly()
    {
        var result = CliProcess.Run("scan", "image", $"oci:{DebianTestImage.Layout}:app", "--format", "json", "--no-cache", "-q", "--max-layer-bytes", "1000000");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains("exceeds the limit of 1,000,000 bytes", line);
    }

    internal static JsonElement Single(JsonElement array, Func<JsonElement, bool> predicate) => array.EnumerateArray().Single(predicate);
}
