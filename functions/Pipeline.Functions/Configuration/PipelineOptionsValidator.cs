using Microsoft.Extensions.Options;

namespace Pipeline.Functions.Configuration;

/// <summary>Rejects a configuration that could not work, at start-up rather than at the first push.</summary>
internal sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        var errors = new List<string>();
        if (options.DedupeWindow < TimeSpan.Zero)
        {
            errors.Add("Pipeline:DedupeWindow must not be negative.");
        }

        if (options.MaxIngressBodyBytes <= 0)
        {
            errors.Add("Pipeline:MaxIngressBodyBytes must be positive.");
        }

        if (options.RematchListPageSize is < 1 or > 5000)
        {
            errors.Add("Pipeline:RematchListPageSize must be between 1 and 5000 (a blob listing returns at most 5000).");
        }

        if (options.QueueLease < TimeSpan.FromSeconds(1) || options.QueueLease > TimeSpan.FromDays(7))
        {
            errors.Add("Pipeline:QueueLease must be between one second and seven days (the longest a queue message can stay invisible).");
        }

        if (options.Delivery.MaxRetryAttempts is < 0 or > 20)
        {
            errors.Add("Pipeline:Delivery:MaxRetryAttempts must be between 0 and 20.");
        }

        foreach (var (id, tenant) in options.Tenants)
        {
            ValidateTenant(id, tenant, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateTenant(string id, TenantOptions tenant, List<string> errors)
    {
        var prefix = $"Pipeline:Tenants:{id}";
        if (!TenantIds.IsValid(id))
        {
            errors.Add($"{prefix}: tenant ids are 1-63 characters of a-z, 0-9 and '-'.");
        }

        if (tenant.AllowedRegistries.Count == 0)
        {
            errors.Add($"{prefix}:AllowedRegistries is empty: the tenant could not scan anything.");
        }

        if (tenant.AllowedRegistries.Any(r => string.IsNullOrWhiteSpace(r) || r.Contains('/', StringComparison.Ordinal)))
        {
            errors.Add($"{prefix}:AllowedRegistries holds hosts (with optional port), not URLs.");
        }

        if (tenant.WebhookSecrets.Count == 0 && tenant.EventGridKeys.Count == 0 && tenant.Entra is null)
        {
            errors.Add($"{prefix} has no WebhookSecrets, EventGridKeys or Entra settings: no request could authenticate.");
        }

        if (tenant.WebhookSecrets.Concat(tenant.EventGridKeys).Any(s => s.Length < 16))
        {
            errors.Add($"{prefix}: secrets and keys must be at least 16 characters.");
        }

        if (tenant.Entra is { } entra)
        {
            if (string.IsNullOrWhiteSpace(entra.Issuer) || string.IsNullOrWhiteSpace(entra.Audience))
            {
                errors.Add($"{prefix}:Entra needs Issuer and Audience.");
            }

            if (string.IsNullOrWhiteSpace(entra.Jwks) && entra.JwksUri is null)
            {
                errors.Add($"{prefix}:Entra needs Jwks or JwksUri.");
            }
        }

        if (tenant.Policy is { } policy)
        {
            try
            {
                Pipeline.Policy.PolicyDocument.Load(policy, $"{prefix}:Policy");
            }
            catch (FormatException e)
            {
                errors.Add(e.Message);
            }
        }

        for (var i = 0; i < tenant.Webhooks.Count; i++)
        {
            var hook = tenant.Webhooks[i];
            if (hook.Url is null || !hook.Url.IsAbsoluteUri || (hook.Url.Scheme != Uri.UriSchemeHttps && hook.Url.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"{prefix}:Webhooks:{i}:Url must be an absolute http(s) URL.");
            }

            if (hook.Format == WebhookFormat.CloudEvents && !StandardWebhookSecret.TryParse(hook.Secret, out _))
            {
                errors.Add($"{prefix}:Webhooks:{i}:Secret must be whsec_ followed by a base64 key for the CloudEvents format.");
            }
        }
    }
}

/// <summary>Tenant ids appear in routes and blob names, so they are restricted to a safe alphabet.</summary>
internal static class TenantIds
{
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= 63 } && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}

/// <summary>The <c>whsec_&lt;base64&gt;</c> secret format of Standard Webhooks.</summary>
internal static class StandardWebhookSecret
{
    private const string Prefix = "whsec_";

    public static bool TryParse(string? secret, out byte[] key)
    {
        key = [];
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            key = Convert.FromBase64String(secret[Prefix.Length..]);
            return key.Length >= 16;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
