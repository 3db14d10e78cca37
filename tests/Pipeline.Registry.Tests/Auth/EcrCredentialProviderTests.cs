using System.Text;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Tests.Fakes;

namespace Pipeline.Registry.Tests.Auth;

/// <summary>
/// The ECR API and the EC2 metadata service cannot be reached from tests, so a local HttpListener plays them:
/// it checks the request shape AWS documents and re-verifies the SigV4 signature.
/// </summary>
public sealed class EcrCredentialProviderTests
{
    private const string Registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static FakeResponse EcrApi(RecordedRequest r, AwsCredentials expectedKey)
    {
        if (r.Method != "POST" || r.PathAndQuery != "/" || r.BodyText != "{}"
            || r.Header("Content-Type") != "application/x-amz-json-1.1"
            || r.Header("X-Amz-Target") != "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken")
        {
            return new FakeResponse(400, """{"__type":"InvalidRequest","message":"bad shape"}""");
        }

        // Recompute the signature the way AWS does, from what actually arrived on the wire.
        var host = r.Header("Host")!;
        var signed = new List<KeyValuePair<string, string>> { new("content-type", r.Header("Content-Type")!), new("x-amz-target", r.Header("X-Amz-Target")!) };
        var date = DateTimeOffset.ParseExact(r.Header("X-Amz-Date")!, "yyyyMMdd'T'HHmmss'Z'", null, System.Globalization.DateTimeStyles.AssumeUniversal);
        var expected = SigV4Signer.Sign("POST", new Uri($"http://{host}/"), signed, r.Body, expectedKey, "eu-west-1", "ecr", date);
        if (r.Header("Authorization") != expected.Authorization || r.Header("X-Amz-Security-Token") != expectedKey.SessionToken)
        {
            return new FakeResponse(403, """{"__type":"InvalidSignatureException","message":"The request signature we calculated does not match"}""");
        }

        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:ecr-password"));
        return new FakeResponse(200, $$"""{"authorizationData":[{"authorizationToken":"{{token}}","expiresAt":{{Now.AddHours(12).ToUnixTimeSeconds()}}.5,"proxyEndpoint":"https://{{Registry}}"}]}""");
    }

    [Fact]
    public async Task GetAsync_EnvironmentKeys_SignedCallYieldsBasicCredential()
    {
        var key = new AwsCredentials("AKIDTEST", "secret/key", "session-token");
        using var api = new FakeHttpServer(r => EcrApi(r, key));
        var env = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIDTEST", ["AWS_SECRET_ACCESS_KEY"] = "secret/key", ["AWS_SESSION_TOKEN"] = "session-token" };
        var time = new FakeTimeProvider(Now);
        var provider = new EcrCredentialProvider(new EcrCredentialProviderOptions
        {
            CredentialSources = [new EnvironmentAwsCredentialSource(env.GetValueOrDefault)],
            Endpoint = api.BaseUri,
            TimeProvider = time,
        });

        var credential = await provider.GetAsync(Registry, default);

        Assert.Equal(new RegistryCredential("AWS", "ecr-password"), credential);
        var request = Assert.Single(api.Requests);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/20260301/eu-west-1/ecr/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=",
            request.Header("Authorization"), StringComparison.Ordinal);

        // Cached for the token's 12 hours, fetched again once it is about to expire.
        await provider.GetAsync(Registry, default);
        Assert.Single(api.Requests);
        time.Advance(TimeSpan.FromHours(12));
        await provider.GetAsync(Registry, default);
        Assert.Equal(2, api.Requests.Count);
    }

    [Fact]
    public async Task GetAsync_WrongSecret_RefusedWithAwsErrorInMessage()
    {
        using var api = new FakeHttpServer(r => EcrApi(r, new AwsCredentials("AKIDTEST", "right")));
        var provider = new EcrCredentialProvider(new EcrCredentialProviderOptions
        {
            CredentialSources = [new EnvironmentAwsCredentialSource(n => n switch { "AWS_ACCESS_KEY_ID" => "AKIDTEST", "AWS_SECRET_ACCESS_KEY" => "wrong", _ => null })],
            Endpoint = api.BaseUri,
        });

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => provider.GetAsync(Registry, default).AsTask());
        Assert.Contains("InvalidSignatureException", e.Message, StringComparison.Ordinal);
        Assert.Contains(Registry, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_NotAnEcrHost_ReturnsNullWithoutCalls()
    {
        using var api = new FakeHttpServer(_ => new FakeResponse(500));
        var provider = new EcrCredentialProvider(new EcrCredentialProviderOptions { Endpoint = api.BaseUri, CredentialSources = [] });
        Assert.Null(await provider.GetAsync("ghcr.io", default));
        Assert.Empty(api.Requests);
        Assert.Equal("us-gov-west-1", EcrCredentialProvider.RegionOf("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com"));
    }

    [Fact]
    public async Task GetAsync_NoCredentialsAnywhere_ClearError()
    {
        var provider = new EcrCredentialProvider(new EcrCredentialProviderOptions { CredentialSources = [new EnvironmentAwsCredentialSource(_ => null)] });
        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => provider.GetAsync(Registry, default).AsTask());
        Assert.Contains("AWS_ACCESS_KEY_ID", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstanceMetadata_ImdsV2_TokenThenRoleThenCredentials()
    {
        using var imds = new FakeHttpServer(r => (r.Method, r.PathAndQuery) switch
        {
            ("PUT", "/latest/api/token") when r.Header("X-aws-ec2-metadata-token-ttl-seconds") == "21600" => new FakeResponse(200, "imds-token", "text/plain"),
            ("GET", "/latest/meta-data/iam/security-credentials/") when r.Header("X-aws-ec2-metadata-token") == "imds-token" => new FakeResponse(200, "scanner-role\n", "text/plain"),
            ("GET", "/latest/meta-data/iam/security-credentials/scanner-role") when r.Header("X-aws-ec2-metadata-token") == "imds-token" =>
                new FakeResponse(200, """{"Code":"Success","AccessKeyId":"ASIAROLE","SecretAccessKey":"role-secret","Token":"role-token","Expiration":"2026-03-01T16:00:00Z"}"""),
            _ => new FakeResponse(401, "", "text/plain"),
        });
        var source = new InstanceMetadataAwsCredentialSource(endpoint: imds.BaseUri, time: new FakeTimeProvider(Now));

        var credentials = await source.GetAsync(default);

        Assert.Equal(new AwsCredentials("ASIAROLE", "role-secret", "role-token") { Expiration = new DateTimeOffset(2026, 3, 1, 16, 0, 0, TimeSpan.Zero) }, credentials);
        Assert.Equal(3, imds.Requests.Count);
        await source.GetAsync(default);
        Assert.Equal(3, imds.Requests.Count);
    }

    [Fact]
    public async Task InstanceMetadata_NothingListening_ReturnsNull()
    {
        var source = new InstanceMetadataAwsCredentialSource(endpoint: new Uri($"http://127.0.0.1:{Pipeline.TestKit.Registry.FreePort.Next()}/"));
        Assert.Null(await source.GetAsync(default));
    }
}
