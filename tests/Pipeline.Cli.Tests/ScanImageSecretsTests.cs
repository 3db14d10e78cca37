using Pipeline.TestKit.Fixtures;

namespace Pipeline.Cli.Tests;

/// <summary>
/// Secrets in every layer: the test image's third layer adds an OpenSSH private key, an AWS key pair and a
/// GitHub token in a script; its fourth layer deletes them. They are still in the image for anyone who pulls it.
/// </summary>
public sealed class ScanImageSecretsTests
{
    private static readonly Lazy<(CliProcess.Result Json, string Sarif, string Table, string Cdx)> Scans = new(() =>
    {
        var reference = $"oci:{DebianTestImage.Layout}:secrets";
        var json = CliProcess.Run("scan", "image", reference, "--format", "json", "--no-cache", "-q");
        var sarif = CliProcess.Run("scan", "image", reference, "--format", "sarif", "--no-cache", "-q");
        var table = CliProcess.Run("scan", "image", reference, "--format", "table", "--no-cache", "-q");
        var cdx = CliProcess.Run("scan", "image", reference, "--format", "cyclonedx", "--no-cache", "-q");
        Assert.True(json.ExitCode == 0, json.Stderr);
        Assert.True(sarif.ExitCode == 0, sarif.Stderr);
        Assert.True(table.ExitCode == 0, table.Stderr);
        return (json, sarif.Stdout + sarif.Stderr, table.Stdout + table.Stderr, cdx.Stdout + cdx.Stderr);
    });

    [Fact]
    public void ScanImage_DeletedSecrets_AreFoundInTheLayerThatAddedThem()
    {
        using var json = Scans.Value.Json.Json();
        var layers = json.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()).ToList();
        Assert.Equal(4, layers.Count);
        var secrets = json.RootElement.GetProperty("secrets").EnumerateArray()
            .Where(s => !s.GetProperty("path").GetString()!.StartsWith("config", StringComparison.Ordinal) && !s.GetProperty("path").GetString()!.StartsWith("history", StringComparison.Ordinal))
            .ToList();

        foreach (var path in new[] { "root/.ssh/id_ed25519", "root/.aws/credentials", "opt/app/deploy.sh" })
        {
            var found = secrets.Where(s => s.GetProperty("path").GetString() == path).ToList();
            Assert.True(found.Count > 0, $"no secret found in {path}: {json.RootElement.GetProperty("secrets")}");
            Assert.All(found, s =>
            {
                Assert.Equal(layers[2], s.GetProperty("layer").GetString());
                Assert.Equal(layers[3], s.GetProperty("removedInLayer").GetString());
                Assert.StartsWith("hmac-sha256:", s.GetProperty("fingerprint").GetString());
                Assert.True(s.GetProperty("line").GetInt32() > 0);
            });
        }

        Assert.All(secrets, s => Assert.Equal(layers[2], s.GetProperty("layer").GetString()));
    }

    [Fact]
    public void ScanImage_NoOutputFormatContainsAPlantedSecret()
    {
        var outputs = new[] { Scans.Value.Json.Stdout + Scans.Value.Json.Stderr, Scans.Value.Sarif, Scans.Value.Table, Scans.Value.Cdx };
        foreach (var secret in DebianTestImage.PlantedSecrets)
        {
            Assert.True(secret.Length >= 30);
            foreach (var output in outputs)
            {
                Assert.DoesNotContain(secret, output, StringComparison.Ordinal);

                // Nor any long piece of it: a preview keeps a few characters at each end only.
                for (var i = 0; i + 16 <= secret.Length; i += 8)
                {
                    Assert.DoesNotContain(secret.Substring(i, 16), output, StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public void ScanImage_TheDebianBaseAloneHasNoSecretFinding()
    {
        var result = CliProcess.Run("scan", "image", $"oci:{DebianTestImage.Layout}:base", "--format", "json", "--no-cache", "-q", "--scanners", "secret");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = result.Json();
        Assert.Empty(json.RootElement.GetProperty("secrets").EnumerateArray());
    }

    [Fact]
    public void ScanImage_ScannersVulnOnly_ReportsNoSecretsOrMisconfigurations()
    {
        var result = CliProcess.Run("scan", "image", $"oci:{DebianTestImage.Layout}:secrets", "--format", "json", "--no-cache", "-q", "--scanners", "vuln");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = result.Json();
        Assert.Empty(json.RootElement.GetProperty("secrets").EnumerateArray());
        Assert.Empty(json.RootElement.GetProperty("misconfigurations").EnumerateArray());
        Assert.NotEmpty(json.RootElement.GetProperty("packages").EnumerateArray());
    }

    [Fact]
    public void ScanImage_ImageConfig_RunsAsRootIsReported()
    {
        using var json = Scans.Value.Json.Json();
        var rules = json.RootElement.GetProperty("misconfigurations").EnumerateArray().Select(m => m.GetProperty("title").GetString()).ToList();
        Assert.Contains(rules, t => t!.Contains("root", StringComparison.OrdinalIgnoreCase));
    }
}
