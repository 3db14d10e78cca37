using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Registry.Auth;

/// <summary>Settings for <see cref="EcrCredentialProvider"/>.</summary>
public sealed class EcrCredentialProviderOptions
{
    /// <summary>Where AWS credentials come from, in order.</summary>
    /// <value>The default is the environment, then the EC2 instance metadata service (IMDSv2).</value>
    public IReadOnlyList<IAwsCredentialSource> CredentialSources { get; set; } =
        [new EnvironmentAwsCredentialSource(), new InstanceMetadataAwsCredentialSource()];

    /// <summary>Client for the ECR API call; a shared plain one when null.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Replaces <c>https://api.ecr.{region}.amazonaws.com/</c> (VPC endpoints, tests).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Clock for signing and token expiry.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>
/// Credentials for Amazon ECR registries (<c>ACCOUNT.dkr.ecr.REGION.amazonaws.com</c>): one SigV4-signed
/// <c>GetAuthorizationToken</c> call (AWS JSON 1.1), whose base64 <c>AWS:password</c> token becomes Basic
/// credentials. Tokens last 12 hours and are cached per registry until shortly before they expire.
/// </summary>
public sealed partial class EcrCredentialProvider(EcrCredentialProviderOptions? options = null) : IRegistryCredentialProvider
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient());

    private readonly EcrCredentialProviderOptions options = options ?? new EcrCredentialProviderOptions();
    private readonly ConcurrentDictionary<string, (RegistryCredential Credential, DateTimeOffset Expires)> cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The region of an ECR registry host, or null when the host is not ECR.</summary>
    public static string? RegionOf(string registryHost)
    {
        var m = EcrHost().Match(registryHost);
        return m.Success ? m.Groups["region"].Value : null;
    }

    /// <inheritdoc/>
    public async ValueTask<RegistryCredential?> GetAsync(string registryHost, CancellationToken cancellationToken)
    {
        if (RegionOf(registryHost) is not { } region)
        {
            return null;
        }

        var time = options.TimeProvider;
        if (cache.TryGetValue(registryHost, out var hit) && time.GetUtcNow() < hit.Expires - RefreshMargin)
        {
            return hit.Credential;
        }

        AwsCredentials? aws = null;
        foreach (var source in options.CredentialSources)
        {
            if ((aws = await source.GetAsync(cancellationToken).ConfigureAwait(false)) is not null)
            {
                break;
            }
        }

        if (aws is null)
        {
            throw new RegistryAuthenticationException($"No AWS credentials for ECR registry {registryHost}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or run with an instance role.");
        }

        var endpoint = options.Endpoint ?? new Uri($"https://api.ecr.{region}.amazonaws.com/");
        var body = "{}"u8.ToArray();
        const string contentType = "application/x-amz-json-1.1";
        const string target = "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken";
        var signature = SigV4Signer.Sign("POST", endpoint, [new("content-type", contentType), new("x-amz-target", target)], body, aws, region, "ecr", time.GetUtcNow());

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", signature.AmzDate);
        if (aws.SessionToken is { } token)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
        }

        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        HttpResponseMessage response;
        try
        {
            response = await (options.HttpClient ?? SharedHttp.Value).SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryUnreachableException($"Cannot reach the ECR API at {endpoint.Authority} for {registryHost}: {e.Message}", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new RegistryAuthenticationException($"ECR GetAuthorizationToken for {registryHost} failed: {(int)response.StatusCode} {AwsError(text)}.");
            }

            try
            {
                using var doc = JsonDocument.Parse(text);
                var data = doc.RootElement.GetProperty("authorizationData")[0];
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(data.GetProperty("authorizationToken").GetString()!));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                var credential = new RegistryCredential(decoded[..colon], decoded[(colon + 1)..]);
                var expires = data.TryGetProperty("expiresAt", out var e) && e.TryGetDouble(out var seconds)
                    ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
                    : time.GetUtcNow().AddHours(12);
                cache[registryHost] = (credential, expires);
                return credential;
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidOperationException)
            {
                throw new RegistryAuthenticationException($"ECR GetAuthorizationToken for {registryHost} returned an unexpected answer: {e.Message}");
            }
        }
    }

    private static string AwsError(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var type = doc.RootElement.TryGetProperty("__type", out var t) ? t.GetString() : null;
            var message = doc.RootElement.TryGetProperty("message", out var m) ? m.GetString()
                : doc.RootElement.TryGetProperty("Message", out var m2) ? m2.GetString() : null;
            return Digests.Shorten($"{type} {message}".Trim()).ReplaceLineEndings(" ");
        }
        catch (JsonException)
        {
            return Digests.Shorten(body).ReplaceLineEndings(" ");
        }
    }

    [GeneratedRegex(@"^\d{12}\.dkr\.ecr(?:-fips)?\.(?<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EcrHost();
}
