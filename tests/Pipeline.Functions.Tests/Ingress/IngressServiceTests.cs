using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pipeline.Functions.Ingress;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Tests.Support;
using Pipeline.TestKit.Azurite;

namespace Pipeline.Functions.Tests.Ingress;

public sealed class IngressServiceTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private const string Issuer = "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0";
    private const string Audience = "api://pipeline-ingress";

    private readonly RSA _entraKey = RSA.Create(2048);
    private readonly FunctionsApp _app;
    private readonly HttpClient _client;

    public IngressServiceTests(AzuriteFixture azurite)
    {
        _app = new FunctionsApp(azurite, new Dictionary<string, string?>
        {
            [$"Pipeline:Tenants:{FunctionsApp.Tenant}:Entra:Issuer"] = Issuer,
            [$"Pipeline:Tenants:{FunctionsApp.Tenant}:Entra:Audience"] = Audience,
            [$"Pipeline:Tenants:{FunctionsApp.Tenant}:Entra:Jwks"] = Jwks(_entraKey, "key-1"),
        });
        _client = _app.CreateClient();
        _app.DrainAsync(QueueNames.ScanRequests).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
        _entraKey.Dispose();
    }

    // Every test pushes its own digest: the dedupe markers live as long as the class's Azurite.
    private readonly string _digest = "sha256:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static TheoryData<string> SharedSecretSources => new() { "distribution", "harbor", "ecr" };

    private string Body(string source) => source switch
    {
        "distribution" => Payloads.Distribution(_digest),
        "harbor" => Payloads.Harbor(_digest),
        "ecr" => Payloads.Ecr(digest: _digest),
        "eventgrid" => Payloads.EventGrid(_digest),
        _ => Payloads.CloudEvent(_digest),
    };

    [Theory]
    [MemberData(nameof(SharedSecretSources))]
    public async Task Post_ValidSharedSecret_QueuesOneImagePushed(string source)
    {
        var body = Body(source);
        var response = await PostAsync(source, body, r => r.Headers.Add(IngressAuthenticator.SecretHeader, FunctionsApp.Secret));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await _app.DrainAsync(QueueNames.ScanRequests);
        var pushed = MessageJson.Read<ImagePushed>(Assert.Single(queued));
        Assert.Equal(_digest, pushed.Digest);
        Assert.Equal(source, pushed.Source);
        Assert.Equal(FunctionsApp.Tenant, pushed.Tenant);
        Assert.Equal(_app.Time.GetUtcNow(), pushed.ReceivedAt);
    }

    [Theory]
    [MemberData(nameof(SharedSecretSources))]
    public async Task Post_ValidHmacSignature_Accepted(string source)
    {
        var body = Body(source);
        var signature = IngressAuthenticator.Sign(FunctionsApp.Secret, Encoding.UTF8.GetBytes(body));

        var response = await PostAsync(source, body, r => r.Headers.Add("X-Hub-Signature-256", signature));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await _app.DrainAsync(QueueNames.ScanRequests));
    }

    [Theory]
    [MemberData(nameof(SharedSecretSources))]
    public async Task Post_Unsigned_401AndAudited(string source)
    {
        var body = Body(source);
        var response = await PostAsync(source, body, _ => { });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await _app.DrainAsync(QueueNames.ScanRequests));
        Assert.Contains($"\"source\":\"{source}\"", await _app.AuditAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SharedSecretSources))]
    public async Task Post_WrongSecretOrSignature_403(string source)
    {
        var body = Body(source);
        var wrongSecret = await PostAsync(source, body, r => r.Headers.Add(IngressAuthenticator.SecretHeader, "not-the-secret-at-all"));
        var wrongSignature = await PostAsync(source, body, r => r.Headers.Add("X-Pipeline-Signature-256", IngressAuthenticator.Sign("another-secret-value-here", Encoding.UTF8.GetBytes(body))));
        var tampered = await PostAsync(source, body + " ", r => r.Headers.Add("X-Hub-Signature-256", IngressAuthenticator.Sign(FunctionsApp.Secret, Encoding.UTF8.GetBytes(body))));

        Assert.Equal(HttpStatusCode.Forbidden, wrongSecret.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongSignature.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Empty(await _app.DrainAsync(QueueNames.ScanRequests));
        var audit = await _app.AuditAsync();
        Assert.Contains("does not match", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(FunctionsApp.Secret, audit, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret-at-all", audit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("distribution", "{\"events\": 5}")]
    [InlineData("distribution", "{not json")]
    [InlineData("harbor", "{\"type\":\"PUSH_ARTIFACT\",\"event_data\":{\"repository\":{\"repo_full_name\":\"library/app\"},\"resources\":[]}}")]
    [InlineData("ecr", "[1,2,3]")]
    [InlineData("eventgrid", "{\"nope\":true}")]
    [InlineData("cloudevents", "{\"specversion\":\"1.0\"}")]
    [InlineData("distribution", "{\"events\":[{\"action\":\"push\",\"target\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"md5:abc\",\"repository\":\"app\"},\"request\":{\"host\":\"127.0.0.1:5000\"}}]}")]
    public async Task Post_Malformed_400WithReason(string source, string body)
    {
        var response = await PostAuthenticatedAsync(source, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("malformed", problem, StringComparison.Ordinal);
        Assert.Empty(await _app.DrainAsync(QueueNames.ScanRequests));
    }

    [Fact]
    public async Task Post_Distribution_FoldsTagAndDigestEventsAndIgnoresBlobPush()
    {
        var response = await PostAuthenticatedAsync("distribution", Payloads.Distribution(_digest));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var pushed = MessageJson.Read<ImagePushed>(Assert.Single(await _app.DrainAsync(QueueNames.ScanRequests)));
        Assert.Equal("1.0", pushed.Tag);
        Assert.Equal(FunctionsApp.Registry, pushed.Registry);
        Assert.Equal("library/app", pushed.Repository);
        Assert.Contains("blob push", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_RegistryNotAllowed_403NeverQueued()
    {
        var response = await PostAuthenticatedAsync("distribution", Payloads.Distribution(_digest, host: "169.254.169.254"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await _app.DrainAsync(QueueNames.ScanRequests));
        Assert.Contains("not in the tenant's allow-list", await _app.AuditAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_UnknownTenant_401WithoutCredentials403With()
    {
        using var noAuth = new HttpRequestMessage(HttpMethod.Post, "/api/ingress/distribution/nobody") { Content = FunctionsApp.Json(Payloads.Distribution(_digest)) };
        using var withAuth = new HttpRequestMessage(HttpMethod.Post, "/api/ingress/distribution/nobody") { Content = FunctionsApp.Json(Payloads.Distribution(_digest)) };
        withAuth.Headers.Add(IngressAuthenticator.SecretHeader, FunctionsApp.Secret);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(noAuth)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(withAuth)).StatusCode);
    }

    [Fact]
    public async Task Post_SamePushTwiceWithinWindow_QueuedOnceThenAgainAfterWindow()
    {
        var digest = _digest;
        var first = await PostAuthenticatedAsync("distribution", Payloads.Distribution(digest));
        var second = await PostAuthenticatedAsync("distribution", Payloads.Distribution(digest));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Single(await _app.DrainAsync(QueueNames.ScanRequests));
        Assert.Contains("duplicate", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        _app.Time.Advance(TimeSpan.FromMinutes(11));
        await PostAuthenticatedAsync("distribution", Payloads.Distribution(digest));

        Assert.Single(await _app.DrainAsync(QueueNames.ScanRequests));
    }

    [Theory]
    [InlineData("sha256-213bbc182920ab41e18edc2001e06abcca6735d87782d9cef68abd83941cf0e5.sig", "cosign signature tag")]
    [InlineData("sha256-213bbc182920ab41e18edc2001e06abcca6735d87782d9cef68abd83941cf0e5.att", "cosign attestation tag")]
    public async Task Post_CosignArtifacts_SkippedWithReason(string tag, string reason)
    {
        var response = await PostAuthenticatedAsync("distribution", Payloads.Distribution(_digest, tag: tag));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await _app.DrainAsync(QueueNames.ScanRequests));
        Assert.Contains(reason, await _app.AuditAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_EcrDelete_SkippedNotQueued()
    {
        var response = await PostAuthenticatedAsync("ecr", Payloads.Ecr("DELETE", _digest));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await _app.DrainAsync(QueueNames.ScanRequests));
    }

    [Fact]
    public async Task Post_EventGridValidation_EchoesCode()
    {
        var response = await _client.PostAsync($"/api/ingress/eventgrid/{FunctionsApp.Tenant}?code={FunctionsApp.EventGridKey}", FunctionsApp.Json(Payloads.EventGridValidation));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", doc.RootElement.GetProperty("validationResponse").GetString());
    }

    [Theory]
    [InlineData("query")]
    [InlineData("aeg-sas-key")]
    [InlineData("x-pipeline-key")]
    public async Task Post_EventGridWithKey_QueuesPush(string where)
    {
        var url = $"/api/ingress/eventgrid/{FunctionsApp.Tenant}" + (where == "query" ? "?code=" + FunctionsApp.EventGridKey : string.Empty);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = FunctionsApp.Json(Payloads.EventGrid(_digest)) };
        if (where != "query")
        {
            request.Headers.Add(where, FunctionsApp.EventGridKey);
        }

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var pushed = MessageJson.Read<ImagePushed>(Assert.Single(await _app.DrainAsync(QueueNames.ScanRequests)));
        Assert.Equal("demo.azurecr.io", pushed.Registry);
        Assert.Equal("aci-helloworld", pushed.Repository);
        Assert.Equal("v1", pushed.Tag);
    }

    [Fact]
    public async Task Post_EventGridWrongOrMissingKey_403And401()
    {
        var wrong = await _client.PostAsync($"/api/ingress/eventgrid/{FunctionsApp.Tenant}?code=wrong-key-0000000000", FunctionsApp.Json(Payloads.EventGrid(_digest)));
        var missing = await _client.PostAsync($"/api/ingress/eventgrid/{FunctionsApp.Tenant}", FunctionsApp.Json(Payloads.EventGrid(_digest)));

        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Empty(await _app.DrainAsync(QueueNames.ScanRequests));
    }

    [Fact]
    public async Task Post_EventGridWithValidEntraToken_Accepted()
    {
        var response = await PostBearerAsync(Token(_entraKey, "key-1", Issuer, Audience));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await _app.DrainAsync(QueueNames.ScanRequests));
    }

    [Fact]
    public async Task Post_EventGridEntraTokenWrongAudienceIssuerOrKey_403()
    {
        using var otherKey = RSA.Create(2048);
        var wrongAudience = await PostBearerAsync(Token(_entraKey, "key-1", Issuer, "api://someone-else"));
        var wrongIssuer = await PostBearerAsync(Token(_entraKey, "key-1", "https://evil.example/v2.0", Audience));
        var wrongKey = await PostBearerAsync(Token(otherKey, "key-1", Issuer, Audience));
        var expired = await PostBearerAsync(Token(_entraKey, "key-1", Issuer, Audience, DateTime.UtcNow.AddHours(-2)));

        Assert.Equal(HttpStatusCode.Forbidden, wrongAudience.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongIssuer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Empty(await _app.DrainAsync(QueueNames.ScanRequests));
    }

    [Fact]
    public async Task Options_CloudEventsHandshake_AllowsOrigin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, $"/api/ingress/cloudevents/{FunctionsApp.Tenant}");
        request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("eventgrid.azure.net", response.Headers.GetValues("WebHook-Allowed-Origin").Single());
    }

    [Fact]
    public async Task Post_CloudEventWithKey_QueuesPush()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/ingress/cloudevents/{FunctionsApp.Tenant}") { Content = FunctionsApp.Json(Payloads.CloudEvent(_digest), "application/cloudevents+json") };
        request.Headers.Add("aeg-sas-key", FunctionsApp.EventGridKey);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var pushed = MessageJson.Read<ImagePushed>(Assert.Single(await _app.DrainAsync(QueueNames.ScanRequests)));
        Assert.Equal("cloudevents", pushed.Source);
        Assert.Equal(_digest, pushed.Digest);
    }

    [Fact]
    public async Task Post_OversizedBody_413()
    {
        var body = "{\"events\":[" + new string(' ', 2 * 1024 * 1024) + "]}";

        var response = await PostAuthenticatedAsync("distribution", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    private Task<HttpResponseMessage> PostAuthenticatedAsync(string source, string body) =>
        source is "eventgrid" or "cloudevents"
            ? PostAsync(source, body, r => r.Headers.Add("aeg-sas-key", FunctionsApp.EventGridKey))
            : PostAsync(source, body, r => r.Headers.Add(IngressAuthenticator.SecretHeader, FunctionsApp.Secret));

    private async Task<HttpResponseMessage> PostAsync(string source, string body, Action<HttpRequestMessage> authenticate)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/ingress/{source}/{FunctionsApp.Tenant}") { Content = FunctionsApp.Json(body) };
        authenticate(request);
        return await _client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostBearerAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/ingress/eventgrid/{FunctionsApp.Tenant}") { Content = FunctionsApp.Json(Payloads.EventGrid("sha256:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)))) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await _client.SendAsync(request);
    }

    private static string Jwks(RSA rsa, string kid)
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = kid });
        return JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
    }

    private static string Token(RSA rsa, string kid, string issuer, string audience, DateTime? expires = null)
    {
        var exp = expires ?? DateTime.UtcNow.AddMinutes(30);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            NotBefore = exp.AddHours(-1),
            IssuedAt = exp.AddHours(-1),
            Expires = exp,
            Claims = new Dictionary<string, object> { ["appid"] = "4962773b-9cdb-44cf-a8bf-237846a00ab7" },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        });
    }
}
