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
/// <c>scan-aggregate</c>: reads the scan plan and every layer's cached analysis, merges them and keeps the merged
/// inventory next to the report (for re-matching when the database changes), judges it with the current
/// vulnerability database and the tenant's policy (<see cref="ImageJudge"/>), writes the report (JSON plus the
/// registered formats) and the tag index, and returns the <see cref="NotificationRequest"/>. Rewriting the same
/// report on a redelivery is harmless.
/// </summary>
internal sealed class AggregatorHandler(ScanStateStore state, BlobLayerCache cache, ReportStore reports, VulnerabilityDbStore databases, ImageJudge judge, IOptionsMonitor<PipelineOptions> options, TimeProvider time, ILogger<AggregatorHandler> logger) : IMessageHandler
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

        var coordinates = plan.Image;
        var inventory = new ImageInventory
        {
            ScanId = request.ScanId,
            Image = coordinates,
            Name = $"{coordinates.Registry}/{coordinates.Repository}" + (coordinates.Tag is { } t ? ":" + t : "@" + coordinates.Digest),
            Resolved = image with { Registry = coordinates.Registry, Repository = coordinates.Repository, Tag = coordinates.Tag },
            Merged = LayerMerger.Merge(analyses),
            Layers = layerReports,
        };

        // The inventory goes first: an image whose report exists always has what a new database is matched against.
        var prefix = ReportStore.Prefix(coordinates.Registry, coordinates.Repository, coordinates.Digest);
        await reports.WriteInventoryAsync(prefix, inventory, cancellationToken);
        var database = await databases.GetCurrentAsync(cancellationToken);
        var scanReport = await judge.JudgeAsync(inventory, database?.Path, cancellationToken);
        var reportBlob = await reports.WriteAsync(prefix, scanReport, cancellationToken);
        if (coordinates.Tag is { } tag)
        {
            await reports.UpdateTagIndexAsync(coordinates.Registry, coordinates.Repository, tag, coordinates.IndexDigest ?? coordinates.Digest, coordinates.Platform ?? image.Platform.ToString(), reportBlob, time.GetUtcNow(), cancellationToken);
        }

        var seconds = (time.GetUtcNow() - plan.ReceivedAt).TotalSeconds;
        PipelineTelemetry.ScanDuration.Record(seconds);
        logger.LogInformation("Scan {ScanId} reported to {Report}: {Packages} packages, {Vulnerabilities} vulnerabilities, {Seconds:F1}s after the push", request.ScanId, reportBlob, scanReport.Packages.Count, scanReport.Vulnerabilities.Count, seconds);

        options.CurrentValue.Tenants.TryGetValue(coordinates.Tenant, out var tenant);
        var notify = new NotificationRequest { ScanId = request.ScanId, Tenant = coordinates.Tenant, ReportBlob = reportBlob, TraceParent = PipelineTelemetry.CurrentTraceParent() ?? request.TraceParent, EnqueuedAt = time.GetUtcNow() };
        return tenant is { Webhooks.Count: > 0 }
            ? HandlerResult.Of($"report {reportBlob}", OutgoingMessage.Create(QueueNames.Notifications, notify))
            : HandlerResult.Of($"report {reportBlob}; tenant has no webhooks");
    }
}
