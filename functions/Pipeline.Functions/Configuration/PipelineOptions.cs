using System.ComponentModel.DataAnnotations;

namespace Pipeline.Functions.Configuration;

/// <summary>
/// Settings of one deployment, bound from the <c>Pipeline</c> configuration section (appsettings.json or
/// environment variables such as <c>Pipeline__Tenants__acme__AllowedRegistries__0=acme.azurecr.io</c>).
/// Every default lives here, in one place, and <see cref="PipelineOptionsValidator"/> checks them at start-up.
/// </summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>Tenants by id. The id is the last segment of every ingress route (<c>/api/ingress/{source}/{tenant}</c>).</summary>
    public Dictionary<string, TenantOptions> Tenants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Repeated pushes of one digest inside this window are scanned once.</summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest ingress body accepted; bigger requests get 413 without being parsed.</summary>
    /// <value>The default is 1 MiB (registries send a few KiB).</value>
    public long MaxIngressBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest IaC upload accepted by the HTTP upload endpoint.</summary>
    /// <value>The default is 32 MiB.</value>
    public long MaxIacUploadBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>A compiled vulnerability database to publish to blob storage at start-up (local use); null publishes nothing.</summary>
    public string? PublishDatabase { get; set; }

    /// <summary>Where the vulnerability database downloaded from blob is cached, by version.</summary>
    /// <value>The default is <c>{temp}/pipeline-db</c>.</value>
    public string DatabaseCacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "pipeline-db");

    /// <summary>
    /// Blobs of the reports container listed per <c>db-updated</c> message when a new database fans out one
    /// re-match per stored image; the next page goes in a further <c>db-updated</c> message.
    /// </summary>
    /// <value>The default is 1000 (each stored image has about four blobs: report, SARIF, SBOM, inventory).</value>
    public int RematchListPageSize { get; set; } = 1000;

    /// <summary>Whether the standalone queue listeners run (off when the Functions host drives the app).</summary>
    /// <value>The default is true; the custom-handler deployment sets <c>Pipeline__RunQueueListeners=false</c>.</value>
    public bool RunQueueListeners { get; set; } = true;

    /// <summary>Path of host.json, whose <c>extensions.queues</c> section the standalone listeners honour.</summary>
    /// <value>The default is <c>host.json</c> next to the app, then the repository's <c>functions/host.json</c>.</value>
    public string? HostJsonPath { get; set; }

    /// <summary>
    /// How long a standalone listener keeps a message it fetched invisible while the message is in work; the lease
    /// is renewed at half-time, so this is also how soon a message whose worker died (killed, crashed, scaled in)
    /// reappears for another one. Not a host.json setting: the Functions host fixes it at 10 minutes.
    /// </summary>
    /// <value>The default is 10 minutes, as in the Functions host.</value>
    public TimeSpan QueueLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Webhook deliveries: attempts and back-off.</summary>
    public DeliveryOptions Delivery { get; set; } = new();
}

/// <summary>One tenant: which registries it may pull from, how its ingress authenticates, where reports go.</summary>
public sealed class TenantOptions
{
    /// <summary>Registry hosts (with port) this tenant's events may name; an event naming any other host is rejected (no SSRF).</summary>
    public List<string> AllowedRegistries { get; set; } = [];

    /// <summary>
    /// Shared secrets accepted by the registry webhooks (distribution, Harbor, EventBridge API destination),
    /// as a shared-secret header or as the key of an HMAC-SHA256 signature. Several allow rotation.
    /// </summary>
    public List<string> WebhookSecrets { get; set; } = [];

    /// <summary>Event Grid keys, accepted as query <c>code</c>, header <c>aeg-sas-key</c> or <see cref="EventGridSecretHeader"/>.</summary>
    public List<string> EventGridKeys { get; set; } = [];

    /// <summary>
    /// Header an Event Grid subscription's <c>deliveryAttributeMappings</c> fills with a static secret.
    /// </summary>
    /// <value>The default is <c>x-pipeline-key</c>.</value>
    public string EventGridSecretHeader { get; set; } = "x-pipeline-key";

    /// <summary>Entra ID bearer-token validation for Event Grid deliveries (optional).</summary>
    public EntraOptions? Entra { get; set; }

    /// <summary>Where finished reports are announced.</summary>
    public List<WebhookOptions> Webhooks { get; set; } = [];

    /// <summary>Credentials for private registries of this tenant (basic or token auth). ACR and ECR use the deployment's identity instead.</summary>
    public List<RegistryCredentialOptions> RegistryCredentials { get; set; } = [];

    /// <summary>Policy YAML (inline). Null means the built-in default policy.</summary>
    public string? Policy { get; set; }
}

/// <summary>How an Entra ID token sent by Event Grid (<c>Authorization: Bearer</c>) is validated.</summary>
public sealed class EntraOptions
{
    /// <summary>Expected <c>iss</c>, e.g. <c>https://login.microsoftonline.com/{tenantId}/v2.0</c>.</summary>
    [Required]
    public string Issuer { get; set; } = string.Empty;

    /// <summary>Expected <c>aud</c>: the application id or URI the subscription names.</summary>
    [Required]
    public string Audience { get; set; } = string.Empty;

    /// <summary>The signing keys as a JWKS document (inline JSON). One of <see cref="Jwks"/> or <see cref="JwksUri"/> is required.</summary>
    public string? Jwks { get; set; }

    /// <summary>Where to fetch the JWKS (for Entra: <c>https://login.microsoftonline.com/{tenantId}/discovery/v2.0/keys</c>).</summary>
    public Uri? JwksUri { get; set; }
}

/// <summary>A username and password (or token) for one registry host.</summary>
public sealed class RegistryCredentialOptions
{
    /// <summary>Registry host with optional port, as in <see cref="TenantOptions.AllowedRegistries"/>.</summary>
    public string Registry { get; set; } = string.Empty;

    public string? Username { get; set; }

    public string? Password { get; set; }
}

/// <summary>A webhook endpoint of a tenant.</summary>
public sealed class WebhookOptions
{
    [Required]
    public Uri? Url { get; set; }

    /// <summary>Standard Webhooks secret, <c>whsec_</c> + base64 key. Required for the CloudEvents format.</summary>
    public string? Secret { get; set; }

    /// <summary>Payload format.</summary>
    /// <value>The default is <see cref="WebhookFormat.CloudEvents"/>.</value>
    public WebhookFormat Format { get; set; } = WebhookFormat.CloudEvents;
}

/// <summary>The payload shapes the notifier can send.</summary>
public enum WebhookFormat
{
    /// <summary>A CloudEvents 1.0 JSON event, signed per Standard Webhooks.</summary>
    CloudEvents,

    /// <summary>A Slack incoming-webhook message with blocks.</summary>
    Slack,

    /// <summary>A Microsoft Teams Workflows webhook message carrying an Adaptive Card.</summary>
    Teams,
}

/// <summary>Retry schedule of webhook deliveries.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Retries after the first attempt.</summary>
    /// <value>The default is 5.</value>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry; later ones grow exponentially with jitter.</summary>
    /// <value>The default is 5 seconds (the first step of the Standard Webhooks schedule).</value>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of one attempt.</summary>
    /// <value>The default is 15 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
