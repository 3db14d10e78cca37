using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Analysis.Merging;
using Pipeline.Core.Analysis;
using Pipeline.Core.Reports;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Engine;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Observability;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.Handlers;

/// <summary>
/// <c>scan-aggregate</c>: reads the scan plan and every layer's cached analysis, merges and judges them with
/// the current vulnerability database and the tenant's policy, writes the report (JSON plus the registered
/// formats) and the tag index, and returns the <see cref="NotificationRequest"/>. Rewriting the same report on
/// a redelivery is harmless.
/// </summary>
internal sealed class AggregatorHandler(ScanStateStore state, BlobLayerCache cache, ReportStore reports, VulnerabilityDbStore database, IDetectorSource detectorSource, IPolicyEvaluator policy, IOptionsMonitor<PipelineOptions> options, TimeProvider time, ILogger<AggregatorHandler> logger) : IMessageHandler
{
    public string Queue => QueueNames.ScanAggregate;

    public async Task<HandlerResult> HandleAsync(string body, MessageContext context, CancellationToken cancellationToken = default)
    {
        var request = MessageJson.Read<AggregateRequest>(body);
        using var activity = PipelineTelemetry.StartConsumer("aggregate", request.TraceParent);
        activity?.SetTag("pipeline.scan_id", request.ScanId);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ScanId"] = request.ScanId });
        var plan = await state.GetPlanAsync(request.ScanId, cancellationToken)
            ?? throw new InvalidOperationException($"Scan {request.ScanId} has no plan.");
        var image = plan.Resolved ?? throw new InvalidOperationException($"Scan {request.ScanId} has no resolved image in its plan.");

        var analyses = new List<LayerAnalysis>();
        var layerReports = new List<LayerReport>();
        foreach (var layer in plan.Layers)
        {
            var report = new LayerReport { Digest = layer.Digest, DiffId = layer.DiffId, Size = layer.Size, Status = layer.Cached ? "cached" : "analyzed" };
            if (layer.Foreign)
            {
                report.Status = "skipped";
                report.Reason = $"foreign layer ({layer.MediaType}) is not distributable and was not pulled";
            }
            else if (await state.FailureAsync(request.ScanId, layer.Index, cancellationToken) is { } failure)
            {
                report.Status = "failed";
                report.Reason = failure;
            }
            else
            {
                // A missing entry means a worker has not finished writing it: throw so the message is retried.
                analyses.Add(await cache.GetAsync(layer.CacheKey, cancellationToken)
                    ?? throw new InvalidOperationException($"Layer {layer.Digest} of scan {request.ScanId} is marked done but its analysis {layer.CacheKey} is missing."));
            }

            layerReports.Add(report);
        }

        var databasePath = await database.GetCurrentAsync(cancellationToken);
        var detectors = await detectorSource.CreateAsync(databasePath, cancellationToken);
        var assembler = new ReportAssembler(detectors, time);
        var coordinates = plan.Image;
        var name = $"{coordinates.Registry}/{coordinates.Repository}" + (coordinates.Tag is { } t ? ":" + t : "@" + coordinates.Digest);
        var scanReport = await assembler.AssembleAsync(image with { Registry = coordinates.Registry, Repository = coordinates.Repository, Tag = coordinates.Tag }, name, analyses, layerReports, cancellationToken);

        options.CurrentValue.Tenants.TryGetValue(coordinates.Tenant, out var tenant);
        scanReport = policy.Apply(scanReport, tenant?.Policy, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));

        var reportBlob = await reports.WriteAsync(ReportStore.Prefix(coordinates.Registry, coordinates.Repository, coordinates.Digest), scanReport, cancellationToken);
        if (coordinates.Tag is { } tag)
        {
            await reports.UpdateTagIndexAsync(coordinates.Registry, coordinates.Repository, tag, coordinates.IndexDigest ?? coordinates.Digest, coordinates.Platform ?? image.Platform.ToString(), reportBlob, time.GetUtcNow(), cancellationToken);
        }

        var seconds = (time.GetUtcNow() - plan.ReceivedAt).TotalSeconds;
        PipelineTelemetry.ScanDuration.Record(seconds);
        logger.LogInformation("Scan {ScanId} reported to {Report}: {Packages} packages, {Vulnerabilities} vulnerabilities, {Seconds:F1}s after the push", request.ScanId, reportBlob, scanReport.Packages.Count, scanReport.Vulnerabilities.Count, seconds);

        var notify = new NotificationRequest { ScanId = request.ScanId, Tenant = coordinates.Tenant, ReportBlob = reportBlob, TraceParent = PipelineTelemetry.CurrentTraceParent() ?? request.TraceParent, EnqueuedAt = time.GetUtcNow() };
        return tenant is { Webhooks.Count: > 0 }
            ? HandlerResult.Of($"report {reportBlob}", OutgoingMessage.Create(QueueNames.Notifications, notify))
            : HandlerResult.Of($"report {reportBlob}; tenant has no webhooks");
    }
}
