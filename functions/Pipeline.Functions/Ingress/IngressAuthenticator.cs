using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pipeline.Functions.Configuration;

namespace Pipeline.Functions.Ingress;

/// <summary>The answer to "who sent this": accepted, no credentials (401) or wrong credentials (403).</summary>
internal readonly record struct AuthResult(AuthOutcome Outcome, string Reason)
{
    public static AuthResult Ok(string how) => new(AuthOutcome.Accepted, how);

    public static AuthResult Missing(string why) => new(AuthOutcome.Missing, why);

    public static AuthResult Wrong(string why) => new(AuthOutcome.Wrong, why);
}

internal enum AuthOutcome
{
    Accepted,
    Missing,
    Wrong,
}

/// <summary>
/// Checks the credentials of an ingress request against the tenant's settings. Secrets are compared in
/// constant time and never logged; the reason strings name the mechanism only.
/// </summary>
internal sealed class IngressAuthenticator
{
    /// <summary>Header carrying a shared secret (registries' configurable notification headers, EventBridge API keys).</summary>
    public const string SecretHeader = "X-Pipeline-Secret";

    /// <summary>Headers carrying <c>sha256=&lt;hex HMAC-SHA256(secret, body)&gt;</c>.</summary>
    public static readonly string[] SignatureHeaders = ["X-Pipeline-Signature-256", "X-Hub-Signature-256"];

    private readonly ConcurrentDictionary<string, Task<JsonWebKeySet>> _jwks = new(StringComparer.Ordinal);
    private readonly IHttpClientFactory _http;
    private readonly JsonWebTokenHandler _jwt = new();

    public IngressAuthenticator(IHttpClientFactory http)
    {
        _http = http;
    }

    public Task<AuthResult> AuthenticateAsync(IngressAuthScheme scheme, TenantOptions? tenant, HttpRequest request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        scheme == IngressAuthScheme.EventGrid
            ? AuthenticateEventGridAsync(tenant, request, cancellationToken)
            : Task.FromResult(AuthenticateSharedSecret(tenant, request, body));

    private async Task<AuthResult> AuthenticateEventGridAsync(TenantOptions? tenant, HttpRequest request, CancellationToken cancellationToken)
    {
        var keys = tenant?.EventGridKeys ?? [];
        var headerName = tenant?.EventGridSecretHeader ?? "x-pipeline-key";
        string? presented = request.Query["code"].FirstOrDefault()
            ?? request.Headers["aeg-sas-key"].FirstOrDefault()
            ?? request.Headers[headerName].FirstOrDefault();
        if (presented is not null)
        {
            return keys.Any(k => SecretsEqual(k, presented)) ? AuthResult.Ok("event grid key") : AuthResult.Wrong("event grid key does not match");
        }

        var authorization = request.Headers.Authorization.FirstOrDefault();
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            if (tenant?.Entra is not { } entra)
            {
                return AuthResult.Wrong("bearer token sent but no Entra validation is configured");
            }

            return await ValidateEntraTokenAsync(entra, authorization["Bearer ".Length..].Trim(), cancellationToken);
        }

        return AuthResult.Missing("no event grid key or bearer token");
    }

    private async Task<AuthResult> ValidateEntraTokenAsync(EntraOptions entra, string token, CancellationToken cancellationToken)
    {
        var jwks = await GetJwksAsync(entra, cancellationToken);
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = entra.Issuer,
            ValidAudience = entra.Audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromMinutes(2),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        };
        var result = await _jwt.ValidateTokenAsync(token, parameters);
        return result.IsValid
            ? AuthResult.Ok("entra token")
            : AuthResult.Wrong("entra token rejected: " + (result.Exception?.GetType().Name ?? "invalid"));
    }

    private Task<JsonWebKeySet> GetJwksAsync(EntraOptions entra, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(entra.Jwks))
        {
            return _jwks.GetOrAdd("inline:" + entra.Jwks, _ => Task.FromResult(new JsonWebKeySet(entra.Jwks)));
        }

        var uri = entra.JwksUri!;
        var task = _jwks.GetOrAdd(uri.AbsoluteUri, _ => FetchJwksAsync(uri, cancellationToken));
        if (task.IsFaulted || task.IsCanceled)
        {
            // Do not keep a failed fetch: the next request tries again.
            _jwks.TryRemove(uri.AbsoluteUri, out _);
        }

        return task;
    }

    private async Task<JsonWebKeySet> FetchJwksAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var client = _http.CreateClient("jwks");
        var json = await client.GetStringAsync(uri, cancellationToken);
        return new JsonWebKeySet(json);
    }

    private static AuthResult AuthenticateSharedSecret(TenantOptions? tenant, HttpRequest request, ReadOnlyMemory<byte> body)
    {
        var secrets = tenant?.WebhookSecrets ?? [];
        foreach (var header in SignatureHeaders)
        {
            if (request.Headers[header].FirstOrDefault() is { } signature)
            {
                return secrets.Any(s => SignatureMatches(s, body.Span, signature))
                    ? AuthResult.Ok("hmac signature")
                    : AuthResult.Wrong("hmac signature does not match");
            }
        }

        var presented = request.Headers[SecretHeader].FirstOrDefault();
        if (presented is null && request.Headers.Authorization.FirstOrDefault() is { } auth)
        {
            // Distribution sends configured headers as is; Harbor sends its "Auth Header" value as Authorization.
            presented = auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth["Bearer ".Length..].Trim() : auth;
        }

        if (presented is null)
        {
            return AuthResult.Missing("no shared secret or signature");
        }

        return secrets.Any(s => SecretsEqual(s, presented)) ? AuthResult.Ok("shared secret") : AuthResult.Wrong("shared secret does not match");
    }

    /// <summary>Constant-time comparison that also hides the length of the expected secret.</summary>
    internal static bool SecretsEqual(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)),
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    internal static bool SignatureMatches(string secret, ReadOnlySpan<byte> body, string header)
    {
        const string prefix = "sha256=";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || header.Length != prefix.Length + 64)
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[32];
        if (Convert.FromHexString(header.AsSpan(prefix.Length), presented, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    /// <summary>The signature header value for a body, as senders compute it.</summary>
    internal static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
