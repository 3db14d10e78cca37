namespace Pipeline.Registry;

/// <summary>How image sources reach registries: credentials, transport and the anti-SSRF allow-list.</summary>
public sealed class RegistryOptions
{
    /// <summary>Username for Basic auth or the token endpoint; takes precedence over every other credential source.</summary>
    public string? Username { get; set; }

    /// <summary>Password or token paired with <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// Allows plain HTTP to any registry. Without it plain HTTP is used only for loopback hosts
    /// (<c>localhost</c>, <c>127.0.0.0/8</c>, <c>[::1]</c>), the way docker treats them.
    /// </summary>
    /// <value>The default is false.</value>
    public bool Insecure { get; set; }

    /// <summary>
    /// The docker <c>config.json</c> read for <c>auths</c>. Null means <c>$DOCKER_CONFIG/config.json</c>, else
    /// <c>~/.docker/config.json</c>; a missing file is not an error.
    /// </summary>
    public string? DockerConfigPath { get; set; }

    /// <summary>Supplies credentials per registry (ACR managed identity, ECR); consulted after <see cref="Username"/>.</summary>
    public IRegistryCredentialProvider? CredentialProvider { get; set; }

    /// <summary>
    /// When set, only these registries (<c>host[:port]</c> as written in references, case-insensitive) may be
    /// contacted; any other raises <see cref="RegistryNotAllowedException"/> before a connection is made.
    /// </summary>
    public IReadOnlyCollection<string>? AllowedRegistries { get; set; }

    /// <summary>The HTTP client to use (tests inject handlers here). Redirects must not be followed by it.</summary>
    /// <value>The default null creates one with redirects off, so Authorization is never forwarded to storage hosts.</value>
    public HttpClient? HttpClient { get; set; }

    /// <summary>How long one request may take to return its headers. Streaming a blob body is not limited by it.</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Receives notes worth telling the user that are not errors (a skipped attestation manifest).</summary>
    public Action<string>? Notes { get; set; }

    /// <summary>Clock for token expiry.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    private Distribution.TokenCache? tokens;
    private Auth.DockerConfig? dockerConfig;

    /// <summary>Bearer tokens shared by every source made with these options.</summary>
    internal Distribution.TokenCache Tokens => tokens ??= new Distribution.TokenCache(TimeProvider);

    internal Auth.DockerConfig DockerConfig => dockerConfig ??= Auth.DockerConfig.Load(DockerConfigPath);

    /// <summary>Credentials for a registry: explicit options first, then the provider, then the docker config.</summary>
    internal async ValueTask<RegistryCredential?> CredentialForAsync(string registry, CancellationToken cancellationToken)
    {
        if (Username is not null || Password is not null)
        {
            return new RegistryCredential(Username, Password);
        }

        if (CredentialProvider is not null && await CredentialProvider.GetAsync(registry, cancellationToken).ConfigureAwait(false) is { } provided)
        {
            return provided;
        }

        return DockerConfig.Find(registry);
    }

    internal void EnsureAllowed(string registry)
    {
        if (AllowedRegistries is { } allowed && !allowed.Any(a => string.Equals(a, registry, StringComparison.OrdinalIgnoreCase)))
        {
            throw new RegistryNotAllowedException(registry);
        }
    }
}

/// <summary>Credentials for one registry.</summary>
/// <param name="Username">Basic user name (<c>AWS</c> for ECR, the null GUID for ACR refresh tokens).</param>
/// <param name="Password">Basic password or token.</param>
/// <param name="IdentityToken">
/// An OAuth2 refresh token (docker config's <c>identitytoken</c>, an ACR refresh token): exchanged at the
/// token realm with <c>grant_type=refresh_token</c> instead of sending Basic credentials.
/// </param>
public sealed record RegistryCredential(string? Username, string? Password, string? IdentityToken = null)
{
    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"RegistryCredential {{ Username = {Username} }}";
}

/// <summary>Supplies credentials for a registry host; returns null when it has none for that host.</summary>
public interface IRegistryCredentialProvider
{
    /// <summary>Credentials for <paramref name="registryHost"/> (<c>host[:port]</c>), or null.</summary>
    ValueTask<RegistryCredential?> GetAsync(string registryHost, CancellationToken cancellationToken);
}
