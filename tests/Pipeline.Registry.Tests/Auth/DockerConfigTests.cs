using System.Text;
using Pipeline.Registry.Auth;

namespace Pipeline.Registry.Tests.Auth;

public sealed class DockerConfigTests
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private static string AuthJson(string key, string userPassword) => "{\"auths\":{\"" + key + "\":{\"auth\":\"" + B64(userPassword) + "\"}}}";

    [Fact]
    public void Parse_AuthField_DecodesUserAndPasswordWithColons()
    {
        var config = DockerConfig.Parse(Encoding.UTF8.GetBytes(AuthJson("reg.example.com:5000", "bob:pa:ss")));
        Assert.Equal(new RegistryCredential("bob", "pa:ss"), config.Find("reg.example.com:5000"));
        Assert.Null(config.Find("reg.example.com"));
    }

    [Fact]
    public void Parse_HubLegacyKey_MatchesDockerIo()
    {
        var config = DockerConfig.Parse(Encoding.UTF8.GetBytes(AuthJson("https://index.docker.io/v1/", "hub:pw")));
        Assert.Equal("hub", config.Find("docker.io")?.Username);
    }

    [Fact]
    public void Parse_UsernamePasswordAndIdentityToken_Read()
    {
        var config = DockerConfig.Parse("""{"auths":{"https://a.io":{"username":"u","password":"p"},"b.azurecr.io":{"identitytoken":"rt"}},"credsStore":"desktop"}"""u8);
        Assert.Equal(new RegistryCredential("u", "p"), config.Find("a.io"));
        Assert.Equal("rt", config.Find("b.azurecr.io")?.IdentityToken);
    }

    [Fact]
    public void Load_MissingFile_IsEmpty() =>
        Assert.Null(DockerConfig.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "config.json")).Find("docker.io"));

    [Fact]
    public void Load_MalformedFile_ClearErrorWithPath()
    {
        var path = Path.Combine(Pipeline.TestKit.TestPaths.NewTempDir(), "config.json");
        File.WriteAllText(path, AuthJson("x.io", "no-colon"));
        var e = Assert.Throws<RegistryException>(() => DockerConfig.Load(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("x.io", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialFor_ExplicitOptionsWinOverDockerConfig()
    {
        var path = Path.Combine(Pipeline.TestKit.TestPaths.NewTempDir(), "config.json");
        File.WriteAllText(path, AuthJson("x.io", "cfg:pw"));
        Assert.Equal("cfg", (await new RegistryOptions { DockerConfigPath = path }.CredentialForAsync("x.io", default))?.Username);
        Assert.Equal("cli", (await new RegistryOptions { DockerConfigPath = path, Username = "cli", Password = "x" }.CredentialForAsync("x.io", default))?.Username);
    }
}
