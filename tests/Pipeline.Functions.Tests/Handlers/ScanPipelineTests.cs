using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Core;
using Pipeline.Core.Reports;
using Pipeline.Functions.Engine;
using Pipeline.Functions.Handlers;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Storage;
using Pipeline.Functions.Tests.Support;
using Pipeline.TestKit.Azurite;

namespace Pipeline.Functions.Tests.Handlers;

public sealed class ScanPipelineTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private static readonly TestLayer Base = TestLayer.Build(new Dictionary<string, string>
    {
        ["etc/os-release"] = "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
        ["usr/bin/tool"] = "#!/bin/sh\necho tool\n",
    });

    private readonly TestRegistry _registry = new();
    private readonly FunctionsApp _app;

    public ScanPipelineTests(AzuriteFixture azurite)
    {
        _app = new FunctionsApp(
            azurite,
            new Dictionary<string, string?>
            {
                [$"Pipeline:Tenants:{FunctionsApp.Tenant}:Webhooks:0:Url"] = "http://127.0.0.1:9/hook",
                [$"Pipeline:Tenants:{FunctionsApp.Tenant}:Webhooks:0:Secret"] = HandlerExtensions.WebhookSecret,
            },
            services => services.Replace(ServiceDescriptor.Singleton<IImageSourceProvider>(_registry)));
        _ = _app.Services;
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Scan_TwoLayers_FansOutMergesAndQueuesOneNotification()
    {
        var top = TestLayer.Build(new Dictionary<string, string> { ["app/" + Guid.NewGuid().ToString("N")] = "payload" });
        var digest = _registry.Add(FunctionsApp.Registry, "library/app", [Base, top]);

        var orchestrated = await _app.HandleAsync(QueueNames.ScanRequests, Push(_app, digest, "1.0"));
        var layerRequests = orchestrated.Messages<LayerScanRequest>(QueueNames.LayerScans);
        Assert.Equal([0, 1], layerRequests.Select(l => l.Index).Order());

        var workers = await Task.WhenAll(layerRequests.Select(l => _app.HandleAsync(QueueNames.LayerScans, l)));
        var aggregate = Assert.Single(workers.SelectMany(w => w.Messages<AggregateRequest>(QueueNames.ScanAggregate)));

        var aggregated = await _app.HandleAsync(QueueNames.ScanAggregate, aggregate);
        var notification = Assert.Single(aggregated.Messages<NotificationRequest>(QueueNames.Notifications));
        var report = await ReadReportAsync(notification.ReportBlob);
        Assert.Equal($"{FunctionsApp.Registry}/library/app/{digest}/report.json", notification.ReportBlob);
        Assert.Equal(digest, report.Artifact.Digest);
        Assert.Equal([Base.Descriptor.Digest, top.Descriptor.Digest], report.Layers.Select(l => l.Digest));
        Assert.All(report.Layers, l => Assert.Contains(l.Status, new[] { "analyzed", "cached" }));
        var tagIndex = await _app.Storage.Container(Containers.Reports).GetBlobClient(ReportStore.TagBlob(FunctionsApp.Registry, "library/app", "1.0")).DownloadContentAsync();
        Assert.Contains(notification.ReportBlob, tagIndex.Value.Content.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_SecondImageSharingBase_AnalyzesOnlyItsNewLayer()
    {
        var first = _registry.Add(FunctionsApp.Registry, "library/one", [Base, TestLayer.Build(new Dictionary<string, string> { ["one/" + Guid.NewGuid().ToString("N")] = "1" })]);
        await RunScanAsync(first);
        var pullsBefore = _registry.BlobOpens;

        var top = TestLayer.Build(new Dictionary<string, string> { ["two/" + Guid.NewGuid().ToString("N")] = "2" });
        var second = _registry.Add(FunctionsApp.Registry, "library/two", [Base, top]);
        var orchestrated = await _app.HandleAsync(QueueNames.ScanRequests, Push(_app, second));

        var only = Assert.Single(orchestrated.Messages<LayerScanRequest>(QueueNames.LayerScans));
        Assert.Equal(top.Descriptor.Digest, only.LayerDigest);
        var aggregate = Assert.Single((await _app.HandleAsync(QueueNames.LayerScans, only)).Messages<AggregateRequest>(QueueNames.ScanAggregate));
        var notification = Assert.Single((await _app.HandleAsync(QueueNames.ScanAggregate, aggregate)).Messages<NotificationRequest>(QueueNames.Notifications));
        var report = await ReadReportAsync(notification.ReportBlob);
        Assert.Equal(["cached", "analyzed"], report.Layers.Select(l => l.Status));
        Assert.Equal(pullsBefore + 1, _registry.BlobOpens);
    }

    [Fact]
    public async Task Scan_EveryLayerCached_OrchestratorGoesStraightToAggregation()
    {
        var digest = _registry.Add(FunctionsApp.Registry, "library/cached", [Base]);
        await RunScanAsync(_registry.Add(FunctionsApp.Registry, "library/warm", [Base]));

        var orchestrated = await _app.HandleAsync(QueueNames.ScanRequests, Push(_app, digest));

        Assert.Empty(orchestrated.Messages<LayerScanRequest>(QueueNames.LayerScans));
        Assert.Single(orchestrated.Messages<AggregateRequest>(QueueNames.ScanAggregate));
    }

    [Fact]
    public async Task Scan_ManyLayersEachDeliveredTwiceConcurrently_AggregationQueuedExactlyOnce()
    {
        var layers = Enumerable.Range(0, 12).Select(i => TestLayer.Build(new Dictionary<string, string> { [$"l{i}/{Guid.NewGuid():N}"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) })).ToList();
        var digest = _registry.Add(FunctionsApp.Registry, "library/wide", layers);
        var requests = (await _app.HandleAsync(QueueNames.ScanRequests, Push(_app, digest))).Messages<LayerScanRequest>(QueueNames.LayerScans);
        Assert.Equal(12, requests.Count);

        // At-least-once delivery: every message is processed twice, all at the same time.
        var results = await Task.WhenAll(requests.Concat(requests).Select(r => Task.Run(() => _app.HandleAsync(QueueNames.LayerScans, r))));

        Assert.Single(results.SelectMany(r => r.Messages<AggregateRequest>(QueueNames.ScanAggregate)));
    }

    [Fact]
    public async Task Scan_LastWorkerKilledBeforeItsAggregateRequestWasSent_RedeliveryQueuesAggregation()
    {
        // Layers of its own: the class's Base may be cached by other tests, and both layers must be analyzed here.
        var layers = Enumerable.Range(0, 2).Select(i => TestLayer.Build(new Dictionary<string, string> { [$"killed/{i}/{Guid.NewGuid():N}"] = "k" })).ToList();
        var digest = _registry.Add(FunctionsApp.Registry, "library/killed", layers);
        var requests = (await _app.HandleAsync(QueueNames.ScanRequests, Push(_app, digest))).Messages<LayerScanRequest>(QueueNames.LayerScans);
        var worker = _app.Handler(QueueNames.LayerScans);
        string Body(LayerScanRequest r) => OutgoingMessage.Create(QueueNames.LayerScans, r).Body;

        Assert.Empty((await worker.HandleAsync(Body(requests[0]), new MessageContext("layer-0", 1, null))).Messages);
        var lost = await worker.HandleAsync(Body(requests[1]), new MessageContext("layer-1", 1, null));
        Assert.Single(lost.Messages<AggregateRequest>(QueueNames.ScanAggregate));

        // That attempt died before sending its output; the same message comes back, and only that message wins again.
        var redelivered = await worker.HandleAsync(Body(requests[1]), new MessageContext("layer-1", 2, null));
        var duplicate = await worker.HandleAsync(Body(requests[1]), new MessageContext("another-message", 1, null));

        Assert.Equal(requests[1].ScanId, Assert.Single(redelivered.Messages<AggregateRequest>(QueueNames.ScanAggregate)).ScanId);
        Assert.Empty(duplicate.Messages);
    }

    [Fact]
    public async Task Scan_EveryLayerCachedAndOrchestratorKilledBeforeSending_RedeliveryQueuesAggregation()
    {
        var layer = TestLayer.Build(new Dictionary<string, string> { ["cached/" + Guid.NewGuid().ToString("N")] = "c" });
        var digest = _registry.Add(FunctionsApp.Registry, "library/cached-killed", [layer]);
        await RunScanAsync(_registry.Add(FunctionsApp.Registry, "library/cached-warm", [layer]));
        var body = OutgoingMessage.Create(QueueNames.ScanRequests, Push(_app, digest)).Body;
        var orchestrator = _app.Handler(QueueNames.ScanRequests);

        Assert.Single((await orchestrator.HandleAsync(body, new MessageContext("push-1", 1, null))).Messages<AggregateRequest>(QueueNames.ScanAggregate));
        var redelivered = await orchestrator.HandleAsync(body, new MessageContext("push-1", 2, null));

        Assert.Single(redelivered.Messages<AggregateRequest>(QueueNames.ScanAggregate));
    }

    [Fact]
    public async Task Scan_MultiPlatformIndex_OneScanAndReportPerPlatform()
    {
        var top = TestLayer.Build(new Dictionary<string, string> { ["multi/" + Guid.NewGuid().ToString("N")] = "m" });
        var index = _registry.Add(FunctionsApp.Registry, "library/multi", [Base, top], "linux/amd64", "linux/arm64");

        var reports = await RunScanAsync(index, "latest", "library/multi");

        Assert.Equal(["linux/amd64", "linux/arm64"], reports.Select(r => r.Artifact.Platform).Order());
        Assert.All(reports, r => Assert.Equal(index, r.Artifact.IndexDigest));
        var tagIndex = await _app.Storage.Container(Containers.Reports).GetBlobClient(ReportStore.TagBlob(FunctionsApp.Registry, "library/multi", "latest")).DownloadContentAsync();
        var text = tagIndex.Value.Content.ToString();
        Assert.Contains("linux/amd64", text, StringComparison.Ordinal);
        Assert.Contains("linux/arm64", text, StringComparison.Ordinal);
    }

    private static ImagePushed Push(FunctionsApp app, string digest, string? tag = null, string repository = "library/app") => new()
    {
        Registry = FunctionsApp.Registry,
        Repository = repository,
        Digest = digest,
        Tag = tag,
        Source = "distribution",
        Tenant = FunctionsApp.Tenant,
        ReceivedAt = app.Time.GetUtcNow(),
    };

    private async Task<List<ScanReport>> RunScanAsync(string digest, string? tag = null, string repository = "library/app")
    {
        var orchestrated = await _app.HandleAsync(QueueNames.ScanRequests, Push(_app, digest, tag, repository));
        var aggregates = orchestrated.Messages<AggregateRequest>(QueueNames.ScanAggregate);
        foreach (var l in orchestrated.Messages<LayerScanRequest>(QueueNames.LayerScans))
        {
            aggregates.AddRange((await _app.HandleAsync(QueueNames.LayerScans, l)).Messages<AggregateRequest>(QueueNames.ScanAggregate));
        }

        var reports = new List<ScanReport>();
        foreach (var a in aggregates)
        {
            var n = Assert.Single((await _app.HandleAsync(QueueNames.ScanAggregate, a)).Messages<NotificationRequest>(QueueNames.Notifications));
            reports.Add(await ReadReportAsync(n.ReportBlob));
        }

        return reports;
    }

    private async Task<ScanReport> ReadReportAsync(string blob) =>
        (await _app.Storage.Container(Containers.Reports).GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToObjectFromJson<ScanReport>(PipelineJson.Options)!;
}
