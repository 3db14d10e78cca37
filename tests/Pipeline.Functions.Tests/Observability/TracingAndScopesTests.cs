using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Pipeline.Functions.Engine;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Observability;
using Pipeline.Functions.Tests.Support;
using Pipeline.TestKit.Azurite;

namespace Pipeline.Functions.Tests.Observability;

public sealed class TracingAndScopesTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public TracingAndScopesTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
    }

    [Fact]
    public async Task Scan_TraceParentCarriedThroughFanOut_AndLogsCarryScanIdScope()
    {
        var registry = new TestRegistry();
        var logs = new ScopeCapturingProvider();
        using var app = new FunctionsApp(_azurite, services: s =>
        {
            s.Replace(ServiceDescriptor.Singleton<IImageSourceProvider>(registry));
            s.AddSingleton<ILoggerProvider>(logs);
        });
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == PipelineTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var layers = new[] { "x", "y" }.Select(n => TestLayer.Build(new Dictionary<string, string> { [$"{n}/{Guid.NewGuid():N}"] = n })).ToList();
        var digest = registry.Add(FunctionsApp.Registry, "library/traced", layers);
        var traceId = ActivityTraceId.CreateRandom();
        var parent = $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01";

        var orchestrated = await app.HandleAsync(QueueNames.ScanRequests, new ImagePushed { Registry = FunctionsApp.Registry, Repository = "library/traced", Digest = digest, Source = "distribution", Tenant = FunctionsApp.Tenant, ReceivedAt = app.Time.GetUtcNow(), TraceParent = parent });
        var requests = orchestrated.Messages<LayerScanRequest>(QueueNames.LayerScans);
        var aggregates = new List<AggregateRequest>();
        foreach (var r in requests)
        {
            aggregates.AddRange((await app.HandleAsync(QueueNames.LayerScans, r)).Messages<AggregateRequest>(QueueNames.ScanAggregate));
        }

        await app.HandleAsync(QueueNames.ScanAggregate, Assert.Single(aggregates));

        Assert.All(requests, r => Assert.Contains(traceId.ToString(), r.TraceParent, StringComparison.Ordinal));
        var names = spans.Where(s => s.TraceId == traceId).Select(s => s.OperationName).ToList();
        Assert.Contains("orchestrate", names);
        Assert.Equal(2, names.Count(n => n == "analyze layer"));
        Assert.Contains("aggregate", names);

        var scanId = requests[0].ScanId;
        var workerLines = logs.Entries.Where(e => e.Category.EndsWith("LayerWorkerHandler", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(workerLines);
        Assert.All(workerLines, e => Assert.Equal(scanId, e.ScanId));
        Assert.Contains(logs.Entries, e => e.Category.EndsWith("AggregatorHandler", StringComparison.Ordinal) && e.ScanId == scanId);
    }

    private sealed class ScopeCapturingProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<(string Category, string? ScanId, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(ScopeCapturingProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                string? scanId = null;
                owner._scopes.ForEachScope(
                    (scope, _) =>
                    {
                        if (scope is IEnumerable<KeyValuePair<string, object>> pairs && pairs.FirstOrDefault(p => p.Key == "ScanId").Value is string id)
                        {
                            scanId = id;
                        }
                    },
                    (object?)null);
                owner.Entries.Enqueue((category, scanId, formatter(state, exception)));
            }
        }
    }
}
