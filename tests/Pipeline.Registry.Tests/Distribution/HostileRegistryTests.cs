using System.Net;
using System.Net.Sockets;
using Pipeline.Registry.Tests.Fakes;

namespace Pipeline.Registry.Tests.Distribution;

/// <summary>Registries that misbehave, played by local fakes: answers are bounded, checked and timed out.</summary>
public sealed class HostileRegistryTests
{
    private static RegistryOptions Options() => new() { DockerConfigPath = "/nonexistent/config.json" };

    [Fact]
    public async Task Resolve_ManifestByDigestWithOtherBytes_DigestMismatch()
    {
        var pinned = Digests.Compute("the real manifest"u8);
        using var server = new FakeHttpServer(_ => new FakeResponse(200,
            """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}""", "application/vnd.oci.image.manifest.v1+json"));
        await using var source = ImageSourceFactory.Create($"{server.Host}/app@{pinned}", Options());
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => source.ResolveAsync());
        Assert.Equal(pinned, e.Expected);
    }

    [Fact]
    public async Task Resolve_TagWhoseDockerContentDigestDisagrees_DigestMismatch()
    {
        var claimed = Digests.Compute("something else"u8);
        using var server = new FakeHttpServer(_ => new FakeResponse(200, """{"schemaVersion":2,"manifests":[]}""", "application/vnd.oci.image.index.v1+json",
            new Dictionary<string, string> { ["Docker-Content-Digest"] = claimed }));
        await using var source = ImageSourceFactory.Create($"{server.Host}/app:1", Options());
        Assert.Equal(claimed, (await Assert.ThrowsAsync<DigestMismatchException>(() => source.ResolveAsync())).Expected);
    }

    [Fact]
    public async Task Resolve_HugeManifest_RefusedAtLimit()
    {
        using var server = new FakeHttpServer(_ => new FakeResponse(200, "[" + new string(' ', 5 << 20) + "]", "application/vnd.oci.image.manifest.v1+json"));
        await using var source = ImageSourceFactory.Create($"{server.Host}/app:1", Options());
        var e = await Assert.ThrowsAsync<InvalidImageException>(() => source.ResolveAsync());
        Assert.Contains("larger than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_UnknownManifestMediaType_ErrorNamesIt()
    {
        using var server = new FakeHttpServer(_ => new FakeResponse(200, """{"schemaVersion":2,"mediaType":"application/vnd.cncf.helm.chart.v1+json"}""", "application/vnd.cncf.helm.chart.v1+json"));
        await using var source = ImageSourceFactory.Create($"{server.Host}/app:1", Options());
        var e = await Assert.ThrowsAsync<UnsupportedMediaTypeException>(() => source.ResolveAsync());
        Assert.Equal("application/vnd.cncf.helm.chart.v1+json", e.MediaType);
    }

    [Fact]
    public async Task Resolve_SchemaOneManifest_ClearUnsupportedError()
    {
        using var server = new FakeHttpServer(_ => new FakeResponse(200, """{"schemaVersion":1,"name":"app","tag":"1","fsLayers":[]}""", "application/vnd.docker.distribution.manifest.v1+prettyjws"));
        await using var source = ImageSourceFactory.Create($"{server.Host}/app:1", Options());
        var e = await Assert.ThrowsAsync<UnsupportedMediaTypeException>(() => source.ResolveAsync());
        Assert.Contains("schema 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_ServerNeverAnswers_TimesOutWithClearMessage()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var options = Options();
        options.RequestTimeout = TimeSpan.FromSeconds(1);
        await using var source = ImageSourceFactory.Create($"127.0.0.1:{port}/app:1", options);
        var e = await Assert.ThrowsAsync<RegistryUnreachableException>(() => source.ResolveAsync());
        Assert.Equal($"Cannot reach registry 127.0.0.1:{port}: no answer within 1 s (http://127.0.0.1:{port}).", e.Message);
    }

    [Fact]
    public async Task Resolve_TokenRealmOnLinkLocal_Refused()
    {
        using var server = new FakeHttpServer(_ => new FakeResponse(401, "{}", "application/json",
            new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer realm=\"http://169.254.169.254/token\",service=\"x\"" }));
        await using var source = ImageSourceFactory.Create($"{server.Host}/app:1", Options());
        var e = await Assert.ThrowsAsync<RegistryException>(() => source.ResolveAsync());
        Assert.Contains("link-local", e.Message, StringComparison.Ordinal);
    }
}
