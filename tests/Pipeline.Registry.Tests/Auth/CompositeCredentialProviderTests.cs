using Pipeline.Registry.Auth;

namespace Pipeline.Registry.Tests.Auth;

public sealed class CompositeCredentialProviderTests
{
    private sealed class OneHost(string host, RegistryCredential credential) : IRegistryCredentialProvider
    {
        public ValueTask<RegistryCredential?> GetAsync(string registryHost, CancellationToken cancellationToken) =>
            ValueTask.FromResult(registryHost == host ? credential : null);
    }

    [Fact]
    public async Task GetAsync_FirstProviderWithCredentialWins()
    {
        var composite = new CompositeCredentialProvider(
            new OneHost("a.azurecr.io", new RegistryCredential("acr", null, "rt")),
            new OneHost("1.dkr.ecr.x.amazonaws.com", new RegistryCredential("AWS", "pw")));
        Assert.Equal("acr", (await composite.GetAsync("a.azurecr.io", default))?.Username);
        Assert.Equal("AWS", (await composite.GetAsync("1.dkr.ecr.x.amazonaws.com", default))?.Username);
        Assert.Null(await composite.GetAsync("ghcr.io", default));
    }
}
