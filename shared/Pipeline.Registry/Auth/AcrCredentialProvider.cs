using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Core;

namespace Pipeline.Registry.Auth;

/// <summary>Settings for <see cref="AcrCredentialProvider"/>.</summary>
public sealed class AcrCredentialProviderOptions
{
    /// <summary>The Entra scope of ACR's data plane.</summary>
    /// <value>The default is <c>https://containerregistry.azure.net/.default</c> (Azure public cloud).</value>
    public string Scope { get; set; } = "https://containerregistry.azure.net/.default";

    /// <summary>Tenant sent with the exchange; optional, ACR infers it from the token.</summary>
    public string? TenantId { get; set; }

    /// <summary>
    /// Registry hosts this provider answers for besides <c>*.azurecr.io</c>, <c>*.azurecr.cn</c> and
    /// <c>*.azurecr.us</c> (custom domains, tests).
    /// </summary>
    public IReadOnlyCollection<string> AdditionalRegistries { get; set; } = [];

    /// <summary>Client for the exchange calls; a shared plain one when null.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Clock for refresh-token expiry.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>
/// Credentials for Azure Container Registry from an Entra identity (a managed identity in the function app):
/// the Entra access token is exchanged at <c>/oauth2/exchange</c> for an ACR refresh token, which the registry
/// client then trades at the <c>/oauth2/token</c> realm for a repository-scoped access token
/// (<see cref="RegistryCredential.IdentityToken"/>). <see cref="GetAccessTokenAsync"/> does that last step directly.
/// </summary>
public sealed class AcrCredentialProvider(TokenCredential credential, AcrCredentialProviderOptions? options = null) : IRegistryCredentialProvider
{
    /// <summary>The user name docker uses with ACR refresh tokens.</summary>
    public const string RefreshTokenUser = "00000000-0000-0000-0000-000000000000";

    // ACR refresh tokens live about three hours; renew with margin so a scan never starts on a dying one.
    private static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromHours(2);
    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient());

    private readonly AcrCredentialProviderOptions options = options ?? new AcrCredentialProviderOptions();
    private readonly ConcurrentDictionary<string, (RegistryCredential Credential, DateTimeOffset Expires)> cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True for hosts this provider answers for.</summary>
    public bool Handles(string registryHost) =>
        registryHost.EndsWith(".azurecr.io", StringComparison.OrdinalIgnoreCase)
        || registryHost.EndsWith(".azurecr.cn", StringComparison.OrdinalIgnoreCase)
        || registryHost.EndsWith(".azurecr.us", StringComparison.OrdinalIgnoreCase)
        || options.AdditionalRegistries.Contains(registryHost, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public async ValueTask<RegistryCredential?> GetAsync(string registryHost, CancellationToken cancellationToken)
    {
        if (!Handles(registryHost))
        {
            return null;
        }

        if (cache.TryGetValue(registryHost, out var hit) && options.TimeProvider.GetUtcNow() < hit.Expires)
        {
            return hit.Credential;
        }

        var entra = await credential.GetTokenAsync(new TokenRequestContext([options.Scope]), cancellationToken).ConfigureAwait(false);
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "access_token"),
            new("service", registryHost),
            new("access_token", entra.Token),
        };
        if (options.TenantId is { } tenant)
        {
            form.Add(new("tenant", tenant));
        }

        var refresh = await PostAsync(registryHost, "oauth2/exchange", form, "refresh_token", cancellationToken).ConfigureAwait(false);
        var result = new RegistryCredential(RefreshTokenUser, null, refresh);
        var expires = options.TimeProvider.GetUtcNow() + RefreshTokenLifetime;
        cache[registryHost] = (result, entra.ExpiresOn < expires ? entra.ExpiresOn : expires);
        return result;
    }

    /// <summary>An ACR access token for <paramref name="scope"/> (for example <c>repository:app:pull</c>).</summary>
    public async Task<string> GetAccessTokenAsync(string registryHost, string scope, CancellationToken cancellationToken = default)
    {
        var refresh = await GetAsync(registryHost, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryAuthenticationException($"{registryHost} is not an Azure Container Registry this provider handles.");
        return await PostAsync(registryHost, "oauth2/token",
            [new("grant_type", "refresh_token"), new("service", registryHost), new("scope", scope), new("refresh_token", refresh.IdentityToken!)],
            "access_token", cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> PostAsync(string registryHost, string path, List<KeyValuePair<string, string>> form, string field, CancellationToken cancellationToken)
    {
        // Same transport rule as the registry client: plain HTTP only to loopback (the test fakes).
        var scheme = ImageReference.IsLoopbackHost(registryHost) ? "http" : "https";
        var uri = new Uri($"{scheme}://{registryHost}/{path}");
        using var content = new FormUrlEncodedContent(form);
        HttpResponseMessage response;
        try
        {
            response = await (options.HttpClient ?? SharedHttp.Value).PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryUnreachableException($"Cannot reach registry {registryHost} for the ACR token exchange: {e.Message}", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new RegistryAuthenticationException($"ACR {registryHost} refused the {path} request: {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            try
            {
                using var doc = JsonDocument.Parse(text);
                return doc.RootElement.TryGetProperty(field, out var v) && v.GetString() is { Length: > 0 } s
                    ? s
                    : throw new RegistryAuthenticationException($"ACR {registryHost} answered {path} without a {field}.");
            }
            catch (JsonException e)
            {
                throw new RegistryAuthenticationException($"ACR {registryHost} answered {path} with invalid JSON: {e.Message}");
            }
        }
    }
}
