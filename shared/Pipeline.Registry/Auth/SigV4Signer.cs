using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Registry.Auth;

/// <summary>AWS access keys; <see cref="SessionToken"/> is set for temporary (STS, instance role) credentials.</summary>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>When temporary credentials stop working; null for long-term keys.</summary>
    public DateTimeOffset? Expiration { get; init; }

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"AwsCredentials {{ AccessKeyId = {AccessKeyId} }}";
}

/// <summary>
/// AWS Signature Version 4 for header-signed requests, written out so ECR needs no AWS SDK. Verified against
/// AWS's published SigV4 test suite (see SigV4SignerTests).
/// </summary>
internal static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The signature and the intermediate strings (kept for diagnostics and tests).</summary>
    public sealed record Signature(string Authorization, string AmzDate, string CanonicalRequest, string StringToSign);

    /// <summary>
    /// Signs a request. <paramref name="headers"/> are the headers to sign besides <c>host</c>, <c>x-amz-date</c>
    /// and <c>x-amz-security-token</c>, which the signer adds; repeated names are joined with commas in order.
    /// </summary>
    public static Signature Sign(string method, Uri uri, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> payload,
        AwsCredentials credentials, string region, string service, DateTimeOffset time)
    {
        var amzDate = time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var all = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string name, string value)
        {
            var key = name.ToLowerInvariant();
            if (!all.TryGetValue(key, out var list))
            {
                all[key] = list = [];
            }

            list.Add(CollapseSpaces(value.Trim()));
        }

        Add("host", uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}");
        Add("x-amz-date", amzDate);
        if (credentials.SessionToken is { } token)
        {
            Add("x-amz-security-token", token);
        }

        foreach (var (name, value) in headers)
        {
            if (!name.Equals("host", StringComparison.OrdinalIgnoreCase) && !name.Equals("x-amz-date", StringComparison.OrdinalIgnoreCase))
            {
                Add(name, value);
            }
        }

        var signedHeaders = string.Join(';', all.Keys);
        var canonicalHeaders = new StringBuilder();
        foreach (var (name, values) in all)
        {
            canonicalHeaders.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }

        var canonicalRequest = string.Join('\n',
            method.ToUpperInvariant(),
            CanonicalPath(uri.AbsolutePath),
            CanonicalQuery(uri.Query),
            canonicalHeaders.ToString(),
            signedHeaders,
            Convert.ToHexStringLower(SHA256.HashData(payload)));
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n', Algorithm, amzDate, scope, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Convert.ToHexStringLower(Hmac(key, stringToSign));
        var authorization = $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new Signature(authorization, amzDate, canonicalRequest, stringToSign);
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string CollapseSpaces(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c == ' ' && sb.Length > 0 && sb[^1] == ' ')
            {
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    // Each segment is decoded, then encoded the RFC 3986 way, as the test suite's canonical requests show.
    private static string CanonicalPath(string escapedPath)
    {
        if (escapedPath.Length == 0)
        {
            return "/";
        }

        var segments = escapedPath.Split('/').Select(s => Encode(Uri.UnescapeDataString(s)));
        return string.Join('/', segments);
    }

    private static string CanonicalQuery(string query)
    {
        if (query.Length <= 1)
        {
            return "";
        }

        var pairs = query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p =>
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? p : p[..eq];
            var value = eq < 0 ? "" : p[(eq + 1)..];
            return (Name: Encode(Uri.UnescapeDataString(name)), Value: Encode(Uri.UnescapeDataString(value)));
        }).OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => $"{p.Name}={p.Value}"));
    }

    // RFC 3986 unreserved characters stay; everything else is %XX of its UTF-8 bytes.
    private static string Encode(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
