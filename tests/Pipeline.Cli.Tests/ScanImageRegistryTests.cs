using Pipeline.TestKit;
using Pipeline.TestKit.Fixtures;
using Pipeline.TestKit.Registry;

namespace Pipeline.Cli.Tests;

/// <summary>
/// <c>pipeline scan image</c> against a real docker-registry, the image pushed with skopeo: once with basic
/// auth, once with token auth, once as Docker v2 schema 2 manifests.
/// </summary>
public sealed class ScanImageRegistryTests
{
    private static string[] DpkgQuery(string root) =>
        [.. Tool.Run("dpkg-query", ["--admindir=" + Path.Combine(root, "var/lib/dpkg"), "-W", "-f", "${db:Status-Status} ${Package} ${Version}\n"])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("config-files ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..])
            .Order(StringComparer.Ordinal)];

    /// <summary>The manifest digest as the registry serves it (skopeo may convert the manifest on push).</summary>
    private static async Task<string> PushAsync(RegistryFixture registry, bool dockerV2 = false)
    {
        var reference = await registry.PushAsync(DebianTestImage.Layout, "app", "team/app", dockerV2);
        List<string> args = ["inspect", "--tls-verify=false", "--format", "{{.Digest}}"];
        if (registry.Mode != RegistryAuthMode.Anonymous)
        {
            args.AddRange(["--creds", $"{registry.Username}:{registry.Password}"]);
        }

        return Tool.Run("skopeo", [.. args, "docker://" + reference]).Trim();
    }

    private static string[] Debs(CliProcess.Result result)
    {
        using var json = result.Json();
        return [.. json.RootElement.GetProperty("packages").EnumerateArray()
            .Where(p => p.GetProperty("type").GetString() == "deb")
            .Select(p => $"{p.GetProperty("name").GetString()} {p.GetProperty("version").GetString()}")
            .Order(StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData(RegistryAuthMode.Basic, false)]
    [InlineData(RegistryAuthMode.Token, false)]
    [InlineData(RegistryAuthMode.Basic, true)]
    public async Task ScanImage_FromRegistry_InventoryEqualsDpkgQuery(RegistryAuthMode mode, bool dockerV2)
    {
        using var registry = new RegistryFixture(mode).Start();
        var digest = await PushAsync(registry, dockerV2);

        var byTag = CliProcess.Run("scan", "image", $"{registry.Host}/team/app:app", "--username", registry.Username, "--password", registry.Password, "--format", "json", "--no-cache", "-q");
        var byDigest = CliProcess.Run("scan", "image", $"{registry.Host}/team/app@{digest}", "--username", registry.Username, "--password", registry.Password, "--format", "json", "--no-cache", "-q");

        Assert.True(byTag.ExitCode == 0, byTag.Stderr);
        Assert.True(byDigest.ExitCode == 0, byDigest.Stderr);
        Assert.Equal(DpkgQuery(DebianTestImage.AppRoot), Debs(byTag));
        Assert.Equal(Debs(byTag), Debs(byDigest));
        using var json = byTag.Json();
        Assert.Equal(digest, json.RootElement.GetProperty("artifact").GetProperty("digest").GetString());
    }

    [Fact]
    public async Task ScanImage_RefusedCredentials_FailsWithOneClearLine()
    {
        using var registry = new RegistryFixture(RegistryAuthMode.Basic).Start();
        await PushAsync(registry);

        var result = CliProcess.Run("scan", "image", $"{registry.Host}/team/app:app", "--username", registry.Username, "--password", "wrong", "--format", "json", "-q");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.StartsWith("error: ", line);
        Assert.DoesNotContain("wrong", line);
    }

    [Fact]
    public async Task ScanImage_TamperedLayerInRegistry_FailsWithDigestMismatch()
    {
        using var registry = new RegistryFixture(RegistryAuthMode.Anonymous).Start();
        var digest = await PushAsync(registry);
        var manifest = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(registry.BlobDataPath(digest)));
        var layer = manifest.RootElement.GetProperty("layers")[1].GetProperty("digest").GetString()!;
        var path = registry.BlobDataPath(layer);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);

        var result = CliProcess.Run("scan", "image", $"{registry.Host}/team/app:app", "--format", "json", "--no-cache", "-q");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(layer, line);
        Assert.Contains("hash", line);
    }
}
