using System.Text;
using System.Text.Json;
using Pipeline.Core;
using Pipeline.Core.Analysis;
using Pipeline.Secrets.ImageConfig;
using CoreImageConfig = Pipeline.Core.Images.ImageConfig;
using Ids = Pipeline.Secrets.ImageConfig.ImageConfigChecker.RuleIds;

namespace Pipeline.Secrets.Tests.ImageConfig;

public sealed class ImageConfigCheckerTests
{
    private static readonly ImageConfigChecker Checker = new(Fake.Scanner);

    /// <summary>An image config blob as BuildKit writes it, with <paramref name="config"/> as its <c>config</c> object.</summary>
    private static CoreImageConfig Parse(string config, params string[] history)
    {
        var h = string.Join(",\n", history.Select(c => "{\"created\":\"2024-05-01T10:00:00Z\",\"created_by\":" + JsonSerializer.Serialize(c) + ",\"comment\":\"buildkit.dockerfile.v0\"}"));
        var json = $$"""
            {
              "architecture": "amd64",
              "os": "linux",
              "created": "2024-05-01T10:00:00Z",
              "config": {{config}},
              "rootfs": { "type": "layers", "diff_ids": ["sha256:{{new string('1', 64)}}", "sha256:{{new string('2', 64)}}"] },
              "history": [ {{h}} ]
            }
            """;
        return CoreImageConfig.Parse(Encoding.UTF8.GetBytes(json));
    }

    private const string CleanConfig = """
        {
          "User": "10001:10001",
          "ExposedPorts": { "8080/tcp": {} },
          "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP_HOME=/app"],
          "Entrypoint": ["/app/server"],
          "WorkingDir": "/app",
          "Labels": { "org.opencontainers.image.source": "https://git.internal/shop" },
          "Healthcheck": { "Test": ["CMD", "/app/server", "--health"], "Interval": 30000000000 }
        }
        """;

    [Fact]
    public void Check_CleanConfig_FindsNothing()
    {
        var config = Parse(CleanConfig, "ADD file:0a1b in / ", "CMD [\"bash\"]", "COPY /src /app # buildkit", "USER 10001:10001");

        var result = Checker.Check(new ImageConfigInput
        {
            Config = config,
            Annotations = new Dictionary<string, string> { ["org.opencontainers.image.base.name"] = "docker.io/library/debian:12-slim" },
        });

        Assert.Empty(result.Misconfigurations);
        Assert.Empty(result.Secrets);
    }

    [Fact]
    public void Check_RootImageWithSecrets_ReportsEveryIssueOnceAndRedacted()
    {
        var ghp = "ghp_" + Fake.Alnums(36);
        var dbPassword = Fake.Alnums(12) + "#" + Fake.Alnums(4);
        var labelToken = Fake.Alnums(24);
        var argToken = Fake.Alnums(20);
        var urlPassword = Fake.Alnums(10);
        var gpg = Fake.Hexes(40).ToUpperInvariant();
        var config = Parse(
            $$"""
            {
              "User": "",
              "ExposedPorts": { "22/tcp": {}, "8080/tcp": {} },
              "Env": ["PATH=/usr/bin:/bin", "GPG_KEY={{gpg}}", "DB_PASSWORD={{dbPassword}}", "GITHUB_TOKEN={{ghp}}", "NPM_TOKEN=", "JWT_SECRET=${JWT_SECRET}"],
              "Cmd": ["bash"],
              "Labels": { "maintainer": "team@corp.internal", "deploy.token": "{{labelToken}}" }
            }
            """,
            "/bin/sh -c #(nop) ADD file:0a1b in / ",
            "/bin/sh -c #(nop)  CMD [\"bash\"]",
            $"ARG API_TOKEN={argToken}",
            $"RUN |1 API_TOKEN={argToken} /bin/sh -c curl -fsSL https://get.tool.internal/install.sh | sh # buildkit",
            $"ADD https://ci:{urlPassword}@releases.internal/tool.tar.gz /opt/ # buildkit",
            "RUN /bin/sh -c sudo apt-get install -y tool # buildkit",
            $"ENV DB_PASSWORD={dbPassword}",
            "EXPOSE map[22/tcp:{}]");

        var result = Checker.Check(new ImageConfigInput { Config = config });

        var ids = result.Misconfigurations.Select(m => m.RuleId).Order().ToList();
        Assert.Equal([Ids.RunsAsRoot, Ids.AddFromUrl, Ids.NoHealthcheck, Ids.AdministrativePort, Ids.SudoInBuild, Ids.PipeToShell], ids);
        Assert.All(result.Misconfigurations, m => Assert.Equal("image", m.Provider));
        Assert.Equal("history[4]", result.Misconfigurations.Single(m => m.RuleId == Ids.AddFromUrl).File);
        Assert.Equal("history[3]", result.Misconfigurations.Single(m => m.RuleId == Ids.PipeToShell).File);
        Assert.Contains("22/tcp", result.Misconfigurations.Single(m => m.RuleId == Ids.AdministrativePort).Message, StringComparison.Ordinal);

        // DB_PASSWORD and API_TOKEN match the generic rules first; the name check would report them otherwise.
        // The ARG value repeated as a RUN build argument and the ENV repeated in history are reported once.
        Assert.Equal(
            [("config.Env", 3), ("config.Env", 4), ("config.Labels", 1), ("history[2]", 1)],
            result.Secrets.Select(s => (s.Path, s.Line)));
        Assert.Equal(
            new[] { dbPassword, ghp, labelToken, argToken }.Select(s => Fake.Fingerprinter.Fingerprint(s)),
            result.Secrets.Select(s => s.Fingerprint));
        Assert.Equal("github-pat", result.Secrets[1].RuleId);
        Assert.Equal(Ids.SensitiveVariable, result.Secrets[2].RuleId);

        // Nothing the result would serialize holds a secret, the URL's password included.
        var json = JsonSerializer.Serialize(result, PipelineJson.Options);
        foreach (var secret in new[] { ghp, dbPassword, labelToken, argToken, urlPassword })
        {
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("root", true)]
    [InlineData("0", true)]
    [InlineData("0:0", true)]
    [InlineData("root:root", true)]
    [InlineData("app", false)]
    [InlineData("1000", false)]
    [InlineData("1000:0", false)]
    public void Check_User_ReportsRootOnlyForRoot(string? user, bool root)
    {
        var config = Parse(CleanConfig);
        config.Config!.User = user;

        var result = Checker.Check(new ImageConfigInput { Config = config });

        Assert.Equal(root, result.Misconfigurations.Any(m => m.RuleId == Ids.RunsAsRoot));
    }

    [Theory]
    [InlineData("debian", true)]
    [InlineData("debian:latest", true)]
    [InlineData("ghcr.io/acme/base:latest", true)]
    [InlineData("localhost:5000/base", true)]
    [InlineData("debian:12", false)]
    [InlineData("localhost:5000/base:1.2", false)]
    [InlineData("debian@sha256:0000000000000000000000000000000000000000000000000000000000000000", false)]
    [InlineData("Not A Reference!", false)]
    public void Check_BaseName_ReportsUnpinnedOrLatest(string baseName, bool unpinned)
    {
        var result = Checker.Check(new ImageConfigInput
        {
            Config = Parse(CleanConfig),
            Annotations = new Dictionary<string, string> { ["org.opencontainers.image.base.name"] = baseName },
        });

        Assert.Equal(unpinned, result.Misconfigurations.Any(m => m.RuleId == Ids.UnpinnedBase));
    }

    [Theory]
    [InlineData("debian:12", "myacr.azurecr.io", true)]
    [InlineData("myacr.azurecr.io/base/debian:12", "myacr.azurecr.io", false)]
    [InlineData("debian:12", "docker.io/library", false)]
    [InlineData("docker.io/evil/debian:12", "docker.io/library", true)]
    [InlineData("index.docker.io/library/debian:12", "docker.io", false)]
    [InlineData("registry-1.docker.io/library/debian:12", "docker.io/library", false)]
    [InlineData("MyACR.azurecr.io/base/debian:12", "myacr.azurecr.io", false)]
    [InlineData("myacr.azurecr.io.evil.example/base:1", "myacr.azurecr.io", true)]
    [InlineData("Not A Reference!", "myacr.azurecr.io", true)]
    public void Check_BaseRegistry_ReportsOutsideAllowList(string baseName, string allowed, bool reported)
    {
        var checker = new ImageConfigChecker(Fake.Scanner, new ImageConfigOptions { AllowedRegistries = [allowed] });

        var result = checker.Check(new ImageConfigInput
        {
            Config = Parse(CleanConfig),
            Annotations = new Dictionary<string, string> { ["org.opencontainers.image.base.name"] = baseName },
        });

        Assert.Equal(reported, result.Misconfigurations.Any(m => m.RuleId == Ids.BaseRegistryNotAllowed));
    }

    [Theory]
    [InlineData("debian", "untagged")]
    [InlineData("debian:latest", "tagged latest")]
    public void Check_UnpinnedBase_SaysWhetherTheTagWasLeftOutOrLatest(string baseName, string wording)
    {
        var result = Checker.Check(new ImageConfigInput
        {
            Config = Parse(CleanConfig),
            Annotations = new Dictionary<string, string> { ["org.opencontainers.image.base.name"] = baseName },
        });

        Assert.Contains(wording, Assert.Single(result.Misconfigurations, m => m.RuleId == Ids.UnpinnedBase).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SpecialFiles_ReportsOnlyApplicationLayers()
    {
        var files = new List<FileFact>
        {
            new() { Path = "usr/bin/passwd", Mode = Convert.ToInt32("104755", 8), Layer = "sha256:base" },
            new() { Path = "app/bin/helper", Mode = Convert.ToInt32("104755", 8), Layer = "sha256:app" },
            new() { Path = "app/bin/group-tool", Mode = Convert.ToInt32("102755", 8), Layer = "sha256:app" },
            new() { Path = "app/data/cache.db", Mode = Convert.ToInt32("100666", 8), Layer = "sha256:app" },
        };

        var scoped = Checker.Check(new ImageConfigInput
        {
            Config = Parse(CleanConfig),
            SpecialFiles = files,
            ApplicationLayers = ImageConfigInput.LayersAfterBase(["sha256:base", "sha256:app"], baseLayerCount: 1),
        });
        var all = Checker.Check(new ImageConfigInput { Config = Parse(CleanConfig), SpecialFiles = files });

        Assert.Equal(["app/bin/group-tool", "app/bin/helper"], scoped.Misconfigurations.Where(m => m.RuleId == Ids.SetuidFile).Select(m => m.File));
        Assert.Equal("app/data/cache.db", Assert.Single(scoped.Misconfigurations, m => m.RuleId == Ids.WorldWritableFile).File);
        Assert.Equal("sha256:app", scoped.Misconfigurations.First().Resource);
        Assert.Equal(3, all.Misconfigurations.Count(m => m.RuleId == Ids.SetuidFile));
    }

    [Fact]
    public void Check_ManySpecialFiles_IsBoundedWithASummary()
    {
        var files = Enumerable.Range(0, 250).Select(i => new FileFact { Path = $"app/f{i:D3}", Mode = Convert.ToInt32("100777", 8), Layer = "sha256:app" }).ToList();

        var result = new ImageConfigChecker(Fake.Scanner, new ImageConfigOptions { MaxFileFindings = 10 })
            .Check(new ImageConfigInput { Config = Parse(CleanConfig), SpecialFiles = files });

        var ww = result.Misconfigurations.Where(m => m.RuleId == Ids.WorldWritableFile).ToList();
        Assert.Equal(11, ww.Count);
        Assert.Contains("240 more", ww[^1].Message, StringComparison.Ordinal);
    }
}
