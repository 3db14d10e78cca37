using System.Web;
using Azure.Core;
using Pipeline.Registry.Distribution;
using Pipeline.Registry.Tests.Fakes;

namespace Pipeline.Registry.Tests.Auth;

/// <summary>
/// Entra ID and ACR's token endpoints cannot be reached from tests: a local HttpListener plays ACR
/// (<c>/oauth2/exchange</c>, <c>/oauth2/token</c>, a Bearer-protected <c>/v2/</c>) and checks each request's
/// form as ACR documents it; a fixed TokenCredential plays Entra.
/// </summary>
public sealed class AcrCredentialProviderTests
{
    private sealed class FixedTokenCredential(string token) : TokenCredential
    {
        public List<string[]> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.Add(requestContext.Scopes);
            return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private static FakeResponse FakeAcr(RecordedRequest r, string host)
    {
        var form = HttpUtility.ParseQueryString(r.BodyText);
        return (r.Method, r.PathAndQuery) switch
        {
            ("POST", "/oauth2/exchange") when form["grant_type"] == "access_token" && form["service"] == host && form["access_token"] == "entra-token"
                => new FakeResponse(200, """{"refresh_token":"acr-refresh"}"""),
            ("POST", "/oauth2/token") when form["grant_type"] == "refresh_token" && form["service"] == host
                && form["refresh_token"] == "acr-refresh" && form["scope"] == "repository:team/app:pull"
                => new FakeResponse(200, """{"access_token":"acr-access"}"""),
            ("GET", "/v2/team/app/manifests/1.0") when r.Header("Authorization") == "Bearer acr-access"
                => new FakeResponse(200, """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}""",
                    "application/vnd.oci.image.manifest.v1+json"),
            ("GET", _) => new FakeResponse(401, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""", "application/json",
                new Dictionary<string, string> { ["WWW-Authenticate"] = $"Bearer realm=\"http://{host}/oauth2/token\",service=\"{host}\",scope=\"repository:team/app:pull\"" }),
            _ => new FakeResponse(400, """{"errors":[{"code":"BAD_REQUEST"}]}"""),
        };
    }

    [Fact]
    public async Task GetAsync_ExchangesEntraTokenForRefreshToken()
    {
        FakeHttpServer? server = null;
        server = new FakeHttpServer(r => FakeAcr(r, server!.Host));
        using var _ = server;
        var entra = new FixedTokenCredential("entra-token");
        var provider = new Pipeline.Registry.Auth.AcrCredentialProvider(entra, new() { AdditionalRegistries = [server.Host] });

        var credential = await provider.GetAsync(server.Host, default);

        Assert.Equal("acr-refresh", credential?.IdentityToken);
        Assert.Equal(["https://containerregistry.azure.net/.default"], Assert.Single(entra.Scopes));
        Assert.Equal("acr-access", await provider.GetAccessTokenAsync(server.Host, "repository:team/app:pull"));
        Assert.Null(await provider.GetAsync("ghcr.io", default));
    }

    [Fact]
    public async Task RegistryClient_WithAcrProvider_FollowsChallengeToScopedAccessToken()
    {
        FakeHttpServer? server = null;
        server = new FakeHttpServer(r => FakeAcr(r, server!.Host));
        using var _ = server;
        var options = new RegistryOptions
        {
            CredentialProvider = new Pipeline.Registry.Auth.AcrCredentialProvider(new FixedTokenCredential("entra-token"), new() { AdditionalRegistries = [server.Host] }),
            DockerConfigPath = "/nonexistent/config.json",
        };
        var client = new RegistryClient(ImageReference.Parse($"{server.Host}/team/app:1.0"), options);

        var manifest = await client.GetManifestAsync("1.0", default);

        Assert.Contains("\"layers\":[]", System.Text.Encoding.UTF8.GetString(manifest.Bytes), StringComparison.Ordinal);
        Assert.Equal(
            ["GET /v2/team/app/manifests/1.0", "POST /oauth2/exchange", "POST /oauth2/token", "GET /v2/team/app/manifests/1.0"],
            server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
    }

    [Fact]
    public async Task GetAsync_ExchangeRefused_ClearAuthenticationError()
    {
        using var server = new FakeHttpServer(_ => new FakeResponse(401, "{}"));
        var provider = new Pipeline.Registry.Auth.AcrCredentialProvider(new FixedTokenCredential("bad"), new() { AdditionalRegistries = [server.Host] });
        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => provider.GetAsync(server.Host, default).AsTask());
        Assert.Contains("oauth2/exchange", e.Message, StringComparison.Ordinal);
    }
}
