using System.Text;
using Pipeline.Registry.Auth;

namespace Pipeline.Registry.Tests.Auth;

/// <summary>
/// Cases from AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite): credentials AKIDEXAMPLE,
/// region us-east-1, service "service", time 2015-08-30T12:36:00Z, host example.amazonaws.com.
/// </summary>
public sealed class SigV4SignerTests
{
    private static readonly AwsCredentials Suite = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private const string Scope = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";

    public static TheoryData<string, string, string, string[], string, string> Vectors => new()
    {
        { "get-vanilla", "GET", "/", [], "", "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "post-vanilla", "POST", "/", [], "", "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
        { "get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1", [], "", "SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
        { "get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", [], "", "SignedHeaders=host;x-amz-date, Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f" },
        { "get-header-value-trim", "GET", "/", ["My-Header1: value1", "My-Header2:\"a   b   c\""], "", "SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736" },
        { "get-header-key-duplicate", "GET", "/", ["My-Header1:value2", "My-Header1:value2", "My-Header1:value1"], "", "SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea" },
        { "post-header-value-case", "POST", "/", ["My-Header1:VALUE1"], "", "SignedHeaders=host;my-header1;x-amz-date, Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d" },
        { "post-x-www-form-urlencoded", "POST", "/", ["Content-Type:application/x-www-form-urlencoded"], "Param1=value1", "SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Sign_AwsTestSuiteVector_MatchesPublishedAuthorization(string name, string method, string pathAndQuery, string[] headers, string body, string expected)
    {
        var parsed = headers.Select(h => new KeyValuePair<string, string>(h[..h.IndexOf(':', StringComparison.Ordinal)], h[(h.IndexOf(':', StringComparison.Ordinal) + 1)..]));
        var signature = SigV4Signer.Sign(method, new Uri("https://example.amazonaws.com" + pathAndQuery), parsed, Encoding.UTF8.GetBytes(body),
            Suite, "us-east-1", "service", SuiteTime);
        Assert.True(Scope + expected == signature.Authorization, $"{name}: {signature.Authorization}\n{signature.CanonicalRequest}");
        Assert.Equal("20150830T123600Z", signature.AmzDate);
    }

    [Fact]
    public void Sign_GetVanilla_CanonicalRequestAndStringToSignAsPublished()
    {
        var signature = SigV4Signer.Sign("GET", new Uri("https://example.amazonaws.com/"), [], [], Suite, "us-east-1", "service", SuiteTime);
        Assert.Equal("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", signature.CanonicalRequest);
        Assert.Equal("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", signature.StringToSign);
    }

    [Fact]
    public void Sign_SessionToken_IsSignedHeader()
    {
        var signature = SigV4Signer.Sign("POST", new Uri("https://api.ecr.eu-west-1.amazonaws.com/"), [], "{}"u8, Suite with { SessionToken = "tok" }, "eu-west-1", "ecr", SuiteTime);
        Assert.Contains("SignedHeaders=host;x-amz-date;x-amz-security-token,", signature.Authorization, StringComparison.Ordinal);
        Assert.Contains("x-amz-security-token:tok\n", signature.CanonicalRequest, StringComparison.Ordinal);
    }
}
