using System.Net.Http.Headers;
using System.Text.Json;

namespace Pipeline.Registry.Auth;

/// <summary>Where AWS credentials come from.</summary>
public interface IAwsCredentialSource
{
    /// <summary>The current credentials, or null when this source has none.</summary>
    ValueTask<AwsCredentials?> GetAsync(CancellationToken cancellationToken);
}

/// <summary><c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c> and optional <c>AWS_SESSION_TOKEN</c>.</summary>
public sealed class EnvironmentAwsCredentialSource(Func<string, string?>? environment = null) : IAwsCredentialSource
{
    private readonly Func<string, string?> environment = environment ?? Environment.GetEnvironmentVariable;

    /// <inheritdoc/>
    public ValueTask<AwsCredentials?> GetAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(environment("AWS_ACCESS_KEY_ID") is { Length: > 0 } id && environment("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secret
            ? new AwsCredentials(id, secret, environment("AWS_SESSION_TOKEN") is { Length: > 0 } t ? t : null)
            : null);
}

/// <summary>
/// The EC2 instance role through IMDSv2: a PUT for a session token, then the role name and its credentials.
/// Off EC2 the address does not answer; a short timeout keeps that from stalling a scan.
/// </summary>
public sealed class InstanceMetadataAwsCredentialSource : IAwsCredentialSource
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly HttpClient http;
    private readonly Uri endpoint;
    private readonly TimeProvider time;
    private readonly TimeSpan timeout;
    private AwsCredentials? cached;

    /// <param name="http">Client for the metadata calls; a plain one when null.</param>
    /// <param name="endpoint">The metadata service; <c>http://169.254.169.254/</c> when null.</param>
    /// <param name="time">Clock for expiry.</param>
    /// <param name="timeout">Per call; 2 seconds when null.</param>
    public InstanceMetadataAwsCredentialSource(HttpClient? http = null, Uri? endpoint = null, TimeProvider? time = null, TimeSpan? timeout = null)
    {
        this.http = http ?? SharedHttp.Value;
        this.endpoint = endpoint ?? new Uri("http://169.254.169.254/");
        this.time = time ?? TimeProvider.System;
        this.timeout = timeout ?? TimeSpan.FromSeconds(2);
    }

    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient());

    /// <inheritdoc/>
    public async ValueTask<AwsCredentials?> GetAsync(CancellationToken cancellationToken)
    {
        if (cached is { Expiration: { } exp } c && time.GetUtcNow() < exp - RefreshMargin)
        {
            return c;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var tokenRequest = new HttpRequestMessage(HttpMethod.Put, new Uri(endpoint, "latest/api/token"));
            tokenRequest.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", "21600");
            using var tokenResponse = await http.SendAsync(tokenRequest, cts.Token).ConfigureAwait(false);
            if (!tokenResponse.IsSuccessStatusCode)
            {
                return null;
            }

            var token = await tokenResponse.Content.ReadAsStringAsync(cts.Token).ConfigureAwait(false);
            var roles = await GetAsync("latest/meta-data/iam/security-credentials/", token, cts.Token).ConfigureAwait(false);
            var role = roles?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            if (role is null)
            {
                return null;
            }

            var json = await GetAsync("latest/meta-data/iam/security-credentials/" + Uri.EscapeDataString(role), token, cts.Token).ConfigureAwait(false);
            if (json is null)
            {
                return null;
            }

            using var doc = JsonDocument.Parse(json);
            var r = doc.RootElement;
            cached = new AwsCredentials(r.GetProperty("AccessKeyId").GetString()!, r.GetProperty("SecretAccessKey").GetString()!, r.TryGetProperty("Token", out var t) ? t.GetString() : null)
            {
                Expiration = r.TryGetProperty("Expiration", out var e) && e.TryGetDateTimeOffset(out var when) ? when : null,
            };
            return cached;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            // Not on EC2, or no role attached: this source simply has no credentials.
            return null;
        }
    }

    private async Task<string?> GetAsync(string path, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, path));
        request.Headers.Add("X-aws-ec2-metadata-token", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false) : null;
    }
}
