using Microsoft.Extensions.Logging;
using Pipeline.Functions.Engine;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Observability;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.Handlers;

/// <summary>
/// <c>scan-requests</c>: resolves the pushed manifest or index (every platform), computes each layer's cache
/// key, looks it up, writes the scan plan, and returns one <see cref="LayerScanRequest"/> per layer not yet
/// analyzed, or the <see cref="AggregateRequest"/> at once when every layer is cached.
/// </summary>
internal sealed class OrchestratorHandler(IImageSourceProvider sources, ILayerAnalyzer analyzer, BlobLayerCache cache, ScanStateStore state, TimeProvider time, ILogger<OrchestratorHandler> logger) : IMessageHandler
{
    public string Queue => QueueNames.ScanRequests;

    public async Task<HandlerResult> HandleAsync(string body, MessageContext context, CancellationToken cancellationToken = default)
    {
        var push = MessageJson.Read<ImagePushed>(body);
        using var activity = PipelineTelemetry.StartConsumer("orchestrate", push.TraceParent);
        activity?.SetTag("pipeline.image", $"{push.Registry}/{push.Repository}@{push.Digest}");
        var pushed = new ImageCoordinates { Registry = push.Registry, Repository = push.Repository, Digest = push.Digest, Tag = push.Tag, Tenant = push.Tenant };
        await using var source = sources.Open(pushed);
        var platforms = await source.ResolveAsync(null, cancellationToken);
        if (platforms.Count == 0)
        {
            throw new InvalidOperationException($"{push.Registry}/{push.Repository}@{push.Digest} has no image manifests.");
        }

        var messages = new List<OutgoingMessage>();
        var logs = new List<string>();
        var traceParent = PipelineTelemetry.CurrentTraceParent();
        foreach (var image in platforms)
        {
            var scanId = ScanIds.For(push.Tenant, push.Registry, push.Repository, image.ManifestDigest, push.ReceivedAt);
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["ScanId"] = scanId });
            var coordinates = pushed with
            {
                Digest = image.ManifestDigest,
                IndexDigest = image.IndexDigest ?? (image.ManifestDigest != push.Digest ? push.Digest : null),
                Platform = image.Platform.ToString(),
            };
            var layers = new List<PlannedLayer>();
            for (var i = 0; i < image.Layers.Count; i++)
            {
                var layer = image.Layers[i];
                var key = analyzer.CacheKey(layer.DiffId);
                var cached = !layer.Foreign && await cache.ExistsAsync(key, cancellationToken);
                if (!layer.Foreign)
                {
                    PipelineTelemetry.LayerCacheLookups.Add(1, new KeyValuePair<string, object?>("result", cached ? "hit" : "miss"));
                }

                layers.Add(new PlannedLayer { Index = i, Digest = layer.Digest, DiffId = layer.DiffId, MediaType = layer.MediaType, Size = layer.Size, CacheKey = key, Cached = cached, Foreign = layer.Foreign });
            }

            await state.SavePlanAsync(new ScanPlan { ScanId = scanId, Image = coordinates, ReceivedAt = push.ReceivedAt, Layers = layers, Resolved = image }, cancellationToken);

            // Layers that need no work are marked done before any worker can count markers.
            foreach (var layer in layers.Where(l => l.Cached || l.Foreign))
            {
                await state.MarkDoneAsync(scanId, layer.Index, cancellationToken);
            }

            var missing = layers.Where(l => !l.Cached && !l.Foreign).ToList();
            var now = time.GetUtcNow();
            logger.LogInformation("Scan {ScanId} of {Image} ({Platform}): {Layers} layers, {Missing} to analyze", scanId, $"{push.Registry}/{push.Repository}@{image.ManifestDigest}", coordinates.Platform, layers.Count, missing.Count);
            logs.Add($"scan {scanId} {coordinates.Platform}: {layers.Count} layers, {missing.Count} to analyze");
            if (missing.Count == 0)
            {
                if (await state.TryAcquireAggregationAsync(scanId, context.Id, cancellationToken))
                {
                    messages.Add(OutgoingMessage.Create(QueueNames.ScanAggregate, new AggregateRequest { ScanId = scanId, Image = coordinates, TraceParent = traceParent, EnqueuedAt = now }));
                }

                continue;
            }

            messages.AddRange(missing.Select(l => OutgoingMessage.Create(QueueNames.LayerScans, new LayerScanRequest
            {
                ScanId = scanId,
                Image = coordinates,
                LayerDigest = l.Digest,
                DiffId = l.DiffId,
                MediaType = l.MediaType,
                CacheKey = l.CacheKey,
                Index = l.Index,
                TraceParent = traceParent,
                EnqueuedAt = now,
            })));
        }

        return new HandlerResult(messages, logs);
    }
}
