using System.Text;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Functions.Storage;
using Pipeline.TestKit.Azurite;

namespace Pipeline.Functions.Tests.Support;

/// <summary>
/// The function app in-process against a real Azurite, with a test tenant, a fake clock and the standalone
/// queue listeners off (tests drive handlers and read queues themselves).
/// </summary>
internal sealed class FunctionsApp : WebApplicationFactory<Program>
{
    public const string Tenant = "acme";
    public const string Registry = "127.0.0.1:5000";
    public const string Secret = "s3cret-shared-webhook-value";
    public const string EventGridKey = "event-grid-key-0123456789";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    private readonly bool _realTime;

    /// <param name="realTime">Keep the system clock (end-to-end runs, where listeners and retries must really wait).</param>
    public FunctionsApp(AzuriteFixture azurite, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, bool realTime = false)
    {
        Azurite = azurite;
        _realTime = realTime;
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Pipeline:RunQueueListeners"] = "false",
            [$"Pipeline:Tenants:{Tenant}:AllowedRegistries:0"] = Registry,
            [$"Pipeline:Tenants:{Tenant}:AllowedRegistries:1"] = "demo.azurecr.io",
            [$"Pipeline:Tenants:{Tenant}:AllowedRegistries:2"] = "123456789012.dkr.ecr.us-west-2.amazonaws.com",
            [$"Pipeline:Tenants:{Tenant}:AllowedRegistries:3"] = "harbor.example.com",
            [$"Pipeline:Tenants:{Tenant}:WebhookSecrets:0"] = Secret,
            [$"Pipeline:Tenants:{Tenant}:EventGridKeys:0"] = EventGridKey,
        };
        foreach (var (k, v) in settings ?? [])
        {
            _settings[k] = v;
        }
    }

    public AzuriteFixture Azurite { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public PipelineStorage Storage => Services.GetRequiredService<PipelineStorage>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in _settings)
        {
            builder.UseSetting(k, v);
        }

        builder.ConfigureTestServices(services =>
        {
            if (!_realTime)
            {
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
            }

            _services?.Invoke(services);
        });
    }

    /// <summary>Receives (and deletes) every message of a queue, decoded from base64.</summary>
    public async Task<List<string>> DrainAsync(string queue)
    {
        var client = Storage.Queue(queue);
        await client.CreateIfNotExistsAsync();
        var bodies = new List<string>();
        while (true)
        {
            QueueMessage[] batch = (await client.ReceiveMessagesAsync(32)).Value;
            if (batch.Length == 0)
            {
                return bodies;
            }

            foreach (var m in batch)
            {
                bodies.Add(m.Body.ToString());
                await client.DeleteMessageAsync(m.MessageId, m.PopReceipt);
            }
        }
    }

    /// <summary>The audit lines written for the tenant today.</summary>
    public async Task<string> AuditAsync(string tenant = Tenant)
    {
        var blob = Storage.Container(Containers.Audit).GetBlobClient($"{Time.GetUtcNow():yyyy-MM-dd}/{tenant}.jsonl");
        return (await blob.ExistsAsync()).Value ? (await blob.DownloadContentAsync()).Value.Content.ToString() : string.Empty;
    }

    /// <summary>A raw queue client (no base64) for tests that need to write undecodable messages.</summary>
    public QueueClient RawQueue(string name) => new QueueServiceClient(Azurite.ConnectionString).GetQueueClient(name);

    public static StringContent Json(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);
}
