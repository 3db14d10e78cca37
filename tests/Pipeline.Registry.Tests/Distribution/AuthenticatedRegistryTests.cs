using System.Text;
using Pipeline.TestKit;
using Pipeline.TestKit.Registry;

namespace Pipeline.Registry.Tests.Distribution;

public sealed class BasicAuthRegistryTests(BasicAuthRegistryFixture registry) : IClassFixture<BasicAuthRegistryFixture>
{
    [Fact]
    public async Task Resolve_CredentialsFromOptions_Pulls()
    {
        var reference = await registry.PushAsync(TestImages.Small.LayoutDir, TestImages.Small.Tag, "basic/app");
        await using var source = ImageSourceFactory.Create(reference, new RegistryOptions { Username = registry.Username, Password = registry.Password });
        await TestImages.AssertSmallImageAsync(source, Assert.Single(await source.ResolveAsync()));
    }

    [Fact]
    public async Task Resolve_CredentialsFromDockerConfig_Pulls()
    {
        var reference = await registry.PushAsync(TestImages.Small.LayoutDir, TestImages.Small.Tag, "basic/config");
        var config = Path.Combine(TestPaths.NewTempDir(), "config.json");
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{registry.Username}:{registry.Password}"));
        File.WriteAllText(config, "{\"auths\":{\"" + registry.Host + "\":{\"auth\":\"" + auth + "\"}}}");
        await using var source = ImageSourceFactory.Create(reference, new RegistryOptions { DockerConfigPath = config });
        Assert.Single(await source.ResolveAsync());
    }

    [Fact]
    public async Task Resolve_WrongPassword_RefusedCredentials()
    {
        var reference = await registry.PushAsync(TestImages.Small.LayoutDir, TestImages.Small.Tag, "basic/refused");
        await using var source = ImageSourceFactory.Create(reference, new RegistryOptions { Username = registry.Username, Password = "wrong" });
        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => source.ResolveAsync());
        Assert.StartsWith($"Registry {registry.Host} refused the credentials for basic/refused: 401 Unauthorized", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_NoCredentials_SaysCredentialsRequired()
    {
        await using var source = ImageSourceFactory.Create($"{registry.Host}/basic/none:1", new RegistryOptions { DockerConfigPath = "/nonexistent/config.json" });
        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => source.ResolveAsync());
        Assert.Equal($"Registry {registry.Host} requires credentials (Basic) and none are configured for it.", e.Message);
    }
}

public sealed class TokenAuthRegistryTests(TokenAuthRegistryFixture registry) : IClassFixture<TokenAuthRegistryFixture>
{
    [Fact]
    public async Task Resolve_BearerWithBasicCredentials_PullsAndCachesToken()
    {
        var reference = await registry.PushAsync(TestImages.Small.LayoutDir, TestImages.Small.Tag, "token/app");
        var options = new RegistryOptions { Username = registry.Username, Password = registry.Password };
        await using (var source = ImageSourceFactory.Create(reference, options))
        {
            await TestImages.AssertSmallImageAsync(source, Assert.Single(await source.ResolveAsync()));
        }

        var served = registry.TokenServer!.Requests;
        await using (var again = ImageSourceFactory.Create(reference, options))
        {
            Assert.Single(await again.ResolveAsync());
        }

        Assert.Equal(served, registry.TokenServer.Requests);
    }

    [Fact]
    public async Task Resolve_WrongPassword_TokenServiceRefuses()
    {
        var reference = await registry.PushAsync(TestImages.Small.LayoutDir, TestImages.Small.Tag, "token/refused");
        await using var source = ImageSourceFactory.Create(reference, new RegistryOptions { Username = registry.Username, Password = "wrong" });
        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => source.ResolveAsync());
        Assert.Contains($"Registry {registry.Host} refused the credentials: its token service", e.Message, StringComparison.Ordinal);
        Assert.Contains("401", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_Anonymous_TokenWithoutAccessDenied()
    {
        var reference = await registry.PushAsync(TestImages.Small.LayoutDir, TestImages.Small.Tag, "token/anon");
        await using var source = ImageSourceFactory.Create(reference, new RegistryOptions { DockerConfigPath = "/nonexistent/config.json" });
        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => source.ResolveAsync());
        Assert.StartsWith($"Registry {registry.Host} denied access to token/anon: 401 Unauthorized", e.Message, StringComparison.Ordinal);
    }
}
