using Microsoft.Extensions.Configuration;

namespace Pipeline.Functions.Configuration;

/// <summary>
/// The settings a per-tenant deployment (infra/bicep, infra/terraform) gives the app: one tenant named by
/// <c>Pipeline:Tenant</c>, its ingress secret and header, Entra audience, and allowed registries under
/// <c>Pipeline:Ingress</c>. They are folded into <see cref="PipelineOptions.Tenants"/> so the rest of the app
/// sees one tenant model, whether it was configured per tenant or per deployment.
/// </summary>
internal static class SingleTenantSettings
{
    public static void Apply(PipelineOptions options, IConfiguration configuration)
    {
        var section = configuration.GetSection(PipelineOptions.Section);
        var name = section["Tenant"];
        if (string.IsNullOrWhiteSpace(name))
        {
            return;
        }

        if (!options.Tenants.TryGetValue(name, out var tenant))
        {
            tenant = new TenantOptions();
            options.Tenants[name] = tenant;
        }

        var ingress = section.GetSection("Ingress");
        foreach (var registry in (ingress["AllowedRegistries"] ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!tenant.AllowedRegistries.Contains(registry, StringComparer.OrdinalIgnoreCase))
            {
                tenant.AllowedRegistries.Add(registry);
            }
        }

        // One secret serves Event Grid (as a static delivery header) and the registry webhooks (EventBridge
        // API destination, distribution, Harbor), as the infra stores one ingress secret per tenant.
        if (ingress["Secret"] is { Length: > 0 } secret)
        {
            tenant.EventGridKeys.Add(secret);
            tenant.WebhookSecrets.Add(secret);
        }

        if (ingress["SecretHeader"] is { Length: > 0 } header)
        {
            tenant.EventGridSecretHeader = header;
        }

        if (string.Equals(ingress["Auth"], "entra", StringComparison.OrdinalIgnoreCase)
            && ingress["EntraAudience"] is { Length: > 0 } audience
            && ingress["EntraTenantId"] is { Length: > 0 } entraTenant)
        {
            tenant.Entra ??= new EntraOptions
            {
                Audience = audience,
                Issuer = $"https://login.microsoftonline.com/{entraTenant}/v2.0",
                JwksUri = new Uri($"https://login.microsoftonline.com/{entraTenant}/discovery/v2.0/keys"),
            };
        }
    }
}
