using System.Text;
using Pipeline.Registry.Tests.Fakes;

namespace Pipeline.Registry.Tests.Distribution;

/// <summary>
/// Registries answer blob GETs with a 307 to storage (S3, Azure Blob); the storage host must not see the
/// registry's credentials. A fake registry and a fake storage host on 127.0.0.1 play the two.
/// </summary>
public sealed class RedirectTests
{
    [Fact]
    public async Task OpenBlob_RedirectToOtherHost_AuthorizationNotForwarded()
    {
        var blob = Encoding.UTF8.GetBytes("layer bytes");
        var digest = Digests.Compute(blob);
        using var storage = new FakeHttpServer(_ => new FakeResponse(200, "layer bytes", "application/octet-stream"));
        var expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u:p"));
        using var registry = new FakeHttpServer(r => r.Header("Authorization") != expectedAuth
            ? new FakeResponse(401, "", "application/json", new Dictionary<string, string> { ["WWW-Authenticate"] = "Basic realm=\"test\"" })
            : new FakeResponse(307, "", "text/plain", new Dictionary<string, string> { ["Location"] = $"http://{storage.Host}/container/blob?sig=abc" }));
        var options = new RegistryOptions { Username = "u", Password = "p" };
        await using var source = ImageSourceFactory.Create($"{registry.Host}/team/app:1", options);

        await using var stream = await source.OpenBlobAsync(digest);
        using var reader = new StreamReader(stream);

        Assert.Equal("layer bytes", await reader.ReadToEndAsync());
        var stored = Assert.Single(storage.Requests);
        Assert.Equal("/container/blob?sig=abc", stored.PathAndQuery);
        Assert.Null(stored.Header("Authorization"));
        Assert.Equal(expectedAuth, registry.Requests.Last().Header("Authorization"));
    }

    [Fact]
    public async Task OpenBlob_RedirectToLinkLocal_Refused()
    {
        using var registry = new FakeHttpServer(_ => new FakeResponse(307, "", "text/plain",
            new Dictionary<string, string> { ["Location"] = "http://169.254.169.254/latest/meta-data/" }));
        await using var source = ImageSourceFactory.Create($"{registry.Host}/team/app:1", new RegistryOptions());
        var e = await Assert.ThrowsAsync<RegistryException>(() => source.OpenBlobAsync(Digests.Compute("x"u8)));
        Assert.Contains("link-local", e.Message, StringComparison.Ordinal);
    }
}
