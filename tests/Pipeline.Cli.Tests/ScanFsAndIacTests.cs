using Pipeline.TestKit;

namespace Pipeline.Cli.Tests;

/// <summary><c>scan fs</c> and <c>scan iac</c> as a developer runs them before a push, with Trivy-style gating.</summary>
public sealed class ScanFsAndIacTests
{
    private static string Project()
    {
        var d = TestPaths.NewTempDir("scan-fs");
        Directory.CreateDirectory(Path.Combine(d, "app"));
        Directory.CreateDirectory(Path.Combine(d, "tf"));
        File.WriteAllText(Path.Combine(d, "tf", "main.tf"), """
            resource "aws_s3_bucket" "logs" {
              bucket = "my-logs"
            }
            """);
        File.WriteAllText(Path.Combine(d, "app", "Dockerfile"), "FROM ubuntu:latest\nRUN curl -s https://get.example/i.sh | sh\n");
        File.WriteAllText(Path.Combine(d, "app", "package-lock.json"), """
            {"name":"demo","version":"1.0.0","lockfileVersion":3,"packages":{"":{"name":"demo","version":"1.0.0"},
             "node_modules/lodash":{"version":"4.17.20"}}}
            """);

        // Built at run time so that no token-shaped string sits in the repository.
        File.WriteAllText(Path.Combine(d, "app", "env.sh"), "export TOKEN=" + "ghp_" + "a8Kd93" + "Q7mZ2pL9vR4tY8wK1nB6cD3fG5hJ0s" + "\n");
        return d;
    }

    [Fact]
    public void ScanFs_FindsLockFilePackagesSecretsAndIac()
    {
        var dir = Project();
        var result = CliProcess.Run("scan", "fs", dir, "--format", "json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = result.Json();
        var root = json.RootElement;
        Assert.Equal("filesystem", root.GetProperty("artifact").GetProperty("type").GetString());
        Assert.Contains(root.GetProperty("packages").EnumerateArray(), p => p.GetProperty("name").GetString() == "lodash" && p.GetProperty("version").GetString() == "4.17.20");
        var secret = Assert.Single(root.GetProperty("secrets").EnumerateArray());
        Assert.Equal("app/env.sh", secret.GetProperty("path").GetString());
        Assert.DoesNotContain("Q7mZ2pL9vR4tY8wK1nB6cD3fG5hJ0s", result.Stdout);
        var rules = root.GetProperty("misconfigurations").EnumerateArray().Select(m => (m.GetProperty("file").GetString(), m.GetProperty("ruleId").GetString())).ToList();
        Assert.Contains(rules, r => r.Item1 == "tf/main.tf");
        Assert.Contains(rules, r => r.Item1 == "app/Dockerfile");
    }

    [Fact]
    public void ScanIac_DefaultedFinding_SaysSoAndGatesTheExitCode()
    {
        var dir = Project();
        var result = CliProcess.Run("scan", "iac", Path.Combine(dir, "tf"), "--format", "json", "--exit-code", "3");

        Assert.Equal(3, result.ExitCode);
        using var json = result.Json();
        var findings = json.RootElement.GetProperty("misconfigurations").EnumerateArray().ToList();
        Assert.NotEmpty(findings);
        Assert.All(findings, f =>
        {
            Assert.Equal("main.tf", f.GetProperty("file").GetString());
            Assert.Equal("aws", f.GetProperty("provider").GetString());
            Assert.Equal("aws_s3_bucket.logs", f.GetProperty("resource").GetString());
            Assert.True(f.GetProperty("startLine").GetInt32() >= 1);
        });
        var defaulted = findings.Where(f => f.GetProperty("defaulted").GetBoolean()).ToList();
        Assert.NotEmpty(defaulted);
        Assert.All(defaulted, f => Assert.Contains("default", f.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void ScanIac_SeverityFilter_CanLeaveNothingAndExitZero()
    {
        var dir = Project();
        var result = CliProcess.Run("scan", "iac", Path.Combine(dir, "tf"), "--format", "json", "--severity", "CRITICAL", "--exit-code", "3");

        Assert.Equal(0, result.ExitCode);
        using var json = result.Json();
        Assert.Empty(json.RootElement.GetProperty("misconfigurations").EnumerateArray());
        Assert.Equal("pass", json.RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public void ScanIac_IgnoreFile_SuppressesUntilItsExpiry()
    {
        var dir = Project();
        var first = CliProcess.Run("scan", "iac", Path.Combine(dir, "tf"), "--format", "json");
        using var firstJson = first.Json();
        var ids = firstJson.RootElement.GetProperty("misconfigurations").EnumerateArray().Select(m => m.GetProperty("ruleId").GetString()!).Distinct().ToList();
        var ignore = Path.Combine(dir, ".pipelineignore");
        File.WriteAllLines(ignore, [.. ids.Skip(1).Select(id => id + " exp:2999-01-01"), ids[0] + " exp:2000-01-01"]);

        var result = CliProcess.Run("scan", "iac", Path.Combine(dir, "tf"), "--format", "json", "--ignorefile", ignore);

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = result.Json();
        Assert.Equal([ids[0]], json.RootElement.GetProperty("misconfigurations").EnumerateArray().Select(m => m.GetProperty("ruleId").GetString()).Distinct());
        Assert.Equal(ids.Count - 1, json.RootElement.GetProperty("suppressed").GetProperty("misconfigurations").EnumerateArray().Select(m => m.GetProperty("ruleId").GetString()).Distinct().Count());
    }

    [Fact]
    public void ScanIac_Sarif_HasOneRulePerMisconfigurationRuleAndLocatedResults()
    {
        var dir = Project();
        var result = CliProcess.Run("scan", "iac", dir, "--format", "sarif");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = result.Json();
        Assert.Equal("2.1.0", json.RootElement.GetProperty("version").GetString());
        var run = json.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(rules.Count, rules.Distinct().Count());
        Assert.All(run.GetProperty("results").EnumerateArray(), r =>
        {
            Assert.Contains(r.GetProperty("ruleId").GetString(), rules);
            var loc = r.GetProperty("locations")[0].GetProperty("physicalLocation");
            Assert.True(loc.GetProperty("region").GetProperty("startLine").GetInt32() >= 1);
        });
    }

    [Fact]
    public void ScanFs_MissingDirectory_FailsClearly()
    {
        var result = CliProcess.Run("scan", "fs", "/nonexistent/" + Guid.NewGuid(), "--format", "json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a directory", result.Stderr);
    }
}
