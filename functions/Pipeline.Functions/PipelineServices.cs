using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Pipeline.Analysis.Walking;
using Pipeline.Core.Analysis;
using Pipeline.Engine;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.CustomHandler;
using Pipeline.Functions.Engine;
using Pipeline.Functions.Handlers;
using Pipeline.Functions.Ingress;
using Pipeline.Functions.Notifications;
using Pipeline.Functions.Observability;
using Pipeline.Functions.Queues;
using Pipeline.Registry;
using Pipeline.Registry.Auth;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions;

/// <summary>The composition root of the function app: every service, handler and listener is registered here.</summary>
public static class PipelineServices
{
    /// <summary>
    /// Registers the pipeline. Engine plug points (register before calling, since these use TryAdd, or replace
    /// with <c>services.Replace(...)</c>): <see cref="IImageSourceProvider"/> (registry pulls, default
    /// shared/Pipeline.Registry), an optional <see cref="Registry.IRegistryCredentialProvider"/> (ACR managed
    /// identity, ECR), <see cref="ScanEngine"/> (analyzers, from ScanEngineFactory), <see cref="IDetectorSource"/>
    /// (detectors per database version, from ScanEngineFactory), <see cref="IPolicyEvaluator"/> (shared/Pipeline.Policy),
    /// <see cref="IReportWriter"/> instances (SARIF and CycloneDX registered) and <see cref="IIacScanner"/> (shared/Pipeline.Iac).
    /// </summary>
    public static IServiceCollection AddPipelineFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PipelineOptions>()
            .Bind(configuration.GetSection(PipelineOptions.Section))
            .PostConfigure(o => SingleTenantSettings.Apply(o, configuration))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient();
        services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);

        services.AddSingleton(_ => PipelineStorage.FromConfiguration(configuration));

        // Engine plug points.
        // Tenants' cloud registries: ACR with the deployment's managed identity (AZURE_CLIENT_ID names the
        // user-assigned one the infra creates), ECR with SigV4 and credentials from the environment or IMDSv2.
        // Each answers only for its own hosts (*.azurecr.io, *.dkr.ecr.*.amazonaws.com).
        services.TryAddSingleton<IRegistryCredentialProvider>(_ => new CompositeCredentialProvider(
            new AcrCredentialProvider(new Azure.Identity.DefaultAzureCredential(new Azure.Identity.DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = Environment.GetEnvironmentVariable("AZURE_CLIENT_ID"),
            })),
            new EcrCredentialProvider()));
        services.TryAddSingleton<IImageSourceProvider, RegistryImageSourceProvider>();
        services.TryAddSingleton<IDetectorSource, EngineDetectorSource>();
        services.TryAddSingleton<IPolicyEvaluator, PolicyEvaluator>();
        services.TryAddSingleton<IIacScanner, EngineIacScanner>();
        services.AddSingleton(FormatReportWriter.Sarif);
        services.AddSingleton(FormatReportWriter.CycloneDx);

        // The analyzers come from the engine's composition root, so the CLI and the pipeline compute the same
        // cache keys and share layer analyses. The database is irrelevant to analysis.
        services.TryAddSingleton(sp => ScanEngineFactory.Create(new ScanSettings { DatabasePath = Path.Combine(sp.GetRequiredService<IOptions<PipelineOptions>>().Value.DatabaseCacheDirectory, "none", "pipeline.db"), TimeProvider = sp.GetRequiredService<TimeProvider>() }));
        services.TryAddSingleton(sp => sp.GetRequiredService<ScanEngine>().LayerScanner);
        services.TryAddSingleton<ILayerAnalyzer, EngineLayerAnalyzer>();

        services.AddSingleton<BlobLayerCache>();
        services.AddSingleton<ILayerCache>(sp => sp.GetRequiredService<BlobLayerCache>());
        services.AddSingleton<ScanStateStore>();
        services.AddSingleton<ReportStore>();
        services.AddSingleton<VulnerabilityDbStore>();
        services.AddSingleton<WebhookStateStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<DedupeStore>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<ImageJudge>();

        services.AddSingleton<IIngressParser, EventGridParser>();
        services.AddSingleton<IIngressParser, CloudEventsParser>();
        services.AddSingleton<IIngressParser, EcrParser>();
        services.AddSingleton<IIngressParser, DistributionParser>();
        services.AddSingleton<IIngressParser, HarborParser>();
        services.AddSingleton<IngressAuthenticator>();
        services.AddSingleton<IngressService>();

        services.AddSingleton<IMessageHandler, OrchestratorHandler>();
        services.AddSingleton<IMessageHandler, LayerWorkerHandler>();
        services.AddSingleton<IMessageHandler, AggregatorHandler>();
        services.AddSingleton<IMessageHandler, NotifierHandler>();
        services.AddSingleton<IMessageHandler, IacScanHandler>();
        services.AddSingleton<IMessageHandler, DatabaseUpdatedHandler>();
        services.AddSingleton<IMessageHandler, RematchHandler>();

        services.AddHostedService<StorageInitializer>();
        services.AddHostedService<DatabasePublisher>();
        services.AddSingleton(sp => LoadQueueOptions(sp.GetRequiredService<IOptions<PipelineOptions>>().Value));
        services.AddHostedService(sp => new QueueListenerHost(sp));

        services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(PipelineTelemetry.Name))
            .WithMetrics(m => m.AddMeter(PipelineTelemetry.Name));
        return services;
    }

    /// <summary>
    /// host.json's <c>extensions.queues</c> (the configured path, the app directory, then the repository's
    /// functions/host.json) with the lease of <see cref="PipelineOptions.QueueLease"/>.
    /// </summary>
    internal static QueueListenerOptions LoadQueueOptions(PipelineOptions options)
    {
        var candidates = new[] { options.HostJsonPath, Path.Combine(AppContext.BaseDirectory, "host.json"), Path.Combine(Directory.GetCurrentDirectory(), "host.json") };
        var path = candidates.FirstOrDefault(p => p is not null && File.Exists(p));
        var queues = path is null ? new QueueListenerOptions() : QueueListenerOptions.FromHostJson(File.ReadAllText(path));
        queues.Lease = options.QueueLease;
        queues.Validate();
        return queues;
    }

    /// <summary>Creates containers and queues before the first request or poll.</summary>
    private sealed class StorageInitializer(PipelineStorage storage) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureCreatedAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>
    /// Publishes <c>Pipeline:PublishDatabase</c> (a compiled database file, as <c>pipeline up --db</c> passes it)
    /// to blob storage at start-up, after the containers exist. Production deployments publish from CI instead.
    /// </summary>
    private sealed class DatabasePublisher(IOptions<PipelineOptions> options, VulnerabilityDbStore store) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (options.Value.PublishDatabase is { Length: > 0 } path)
            {
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException($"Pipeline:PublishDatabase names {path}, which does not exist.", path);
                }

                await store.PublishAsync(path, cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Runs one <see cref="QueueListener"/> per handler when standalone (not under the Functions host).</summary>
    private sealed class QueueListenerHost(IServiceProvider services) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var options = services.GetRequiredService<IOptions<PipelineOptions>>().Value;
            if (!options.RunQueueListeners)
            {
                return Task.CompletedTask;
            }

            var queueOptions = services.GetRequiredService<QueueListenerOptions>();
            var listeners = services.GetServices<IMessageHandler>()
                .Select(h => new QueueListener(services.GetRequiredService<PipelineStorage>(), h, queueOptions, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<QueueListener>>()))
                .ToList();
            return Task.WhenAll(listeners.Select(l => l.RunAsync(stoppingToken)));
        }
    }
}
