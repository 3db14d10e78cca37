namespace Pipeline.Registry.Auth;

/// <summary>
/// Asks providers in order and returns the first credential found: for example ACR then ECR, so one
/// <see cref="RegistryOptions.CredentialProvider"/> serves every tenant registry.
/// </summary>
public sealed class CompositeCredentialProvider(params IRegistryCredentialProvider[] providers) : IRegistryCredentialProvider
{
    /// <inheritdoc/>
    public async ValueTask<RegistryCredential?> GetAsync(string registryHost, CancellationToken cancellationToken)
    {
        foreach (var provider in providers)
        {
            if (await provider.GetAsync(registryHost, cancellationToken).ConfigureAwait(false) is { } credential)
            {
                return credential;
            }
        }

        return null;
    }
}
