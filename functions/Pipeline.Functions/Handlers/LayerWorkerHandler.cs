using Microsoft.Extensions.Logging;
using Pipeline.Analysis.Streams;
using Pipeline.Core.Images;
using Pipeline.Functions.Engine;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Observability;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.Handlers;

/// <summary>
/// <c>layer-scans</c>: analyzes one layer (unless another worker already cached it), marks it done, and, if
/// this completed the scan's set, returns the <see cref="AggregateRequest"/>; the aggregation lock makes that
/// happen once per scan however many workers finish together.
/// </summary>
internal sealed class LayerWorkerHandler(IImageSourceProvider sources, ILayerAnalyzer analyzer, BlobLayerCache cache, ScanStateStore state, TimeProvider time, ILogger<LayerWorkerHandler> logger) : IMessageHandler
{
    public string Queue => QueueNames.LayerScans;

    public async Task<HandlerResult> HandleAsync(string body, MessageContext context, CancellationToken cancellationToken = default)
    {
        var request = MessageJson.Read<LayerScanRequest>(body);
        using var activity = PipelineTelemetry.StartConsumer("analyze layer", request.TraceParent);
        activity?.SetTag("pipeline.scan_id", request.ScanId);
        activity?.SetTag("pipeline.layer", request.LayerDigest);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ScanId"] = request.ScanId });
        var log = await AnalyzeOnceAsync(request, cancellationToken);

        await state.MarkDoneAsync(request.ScanId, request.Index, cancellationToken);
        var plan = await state.GetPlanAsync(request.ScanId, cancellationToken)
            ?? throw new InvalidOperationException($"Scan {request.ScanId} has no plan (scans/{request.ScanId}/expected.json).");
        var done = await state.DoneAsync(request.ScanId, cancellationToken);
        if (plan.Layers.Any(l => !done.Contains(l.Index)))
        {
            return HandlerResult.Of($"{log}; {done.Count}/{plan.Layers.Count} layers done");
        }

        if (!await state.TryAcquireAggregationAsync(request.ScanId, context.Id, cancellationToken))
        {
            return HandlerResult.Of($"{log}; aggregation already queued by another worker");
        }

        logger.LogInformation("Scan {ScanId}: all {Count} layers done; queueing aggregation", request.ScanId, plan.Layers.Count);
        var aggregate = new AggregateRequest { ScanId = request.ScanId, Image = request.Image, TraceParent = PipelineTelemetry.CurrentTraceParent() ?? request.TraceParent, EnqueuedAt = time.GetUtcNow() };
        return HandlerResult.Of($"{log}; queued aggregation", OutgoingMessage.Create(QueueNames.ScanAggregate, aggregate));
    }

    private async Task<string> AnalyzeOnceAsync(LayerScanRequest request, CancellationToken cancellationToken)
    {
        if (await cache.ExistsAsync(request.CacheKey, cancellationToken))
        {
            // Another worker (another image sharing the layer, or an earlier delivery) already did it.
            return $"layer {request.LayerDigest} already cached";
        }

        var descriptor = new LayerDescriptor { Digest = request.LayerDigest, DiffId = request.DiffId, MediaType = request.MediaType };
        await using var source = sources.Open(request.Image);
        try
        {
            var analysis = await analyzer.AnalyzeAsync(source, descriptor, cancellationToken);
            await cache.PutAsync(request.CacheKey, analysis, cancellationToken);
            logger.LogInformation("Analyzed layer {Layer} of scan {ScanId}", request.LayerDigest, request.ScanId);
            return $"analyzed layer {request.LayerDigest}";
        }
        catch (LayerException e)
        {
            // A layer that does not match its digest or breaks a bound never will: retrying cannot help, and
            // the scan must still finish, so record the failure for the report instead of throwing.
            logger.LogError(e, "Layer {Layer} of scan {ScanId} failed", request.LayerDigest, request.ScanId);
            await state.MarkFailedAsync(request.ScanId, request.Index, e.Message, cancellationToken);
            return $"layer {request.LayerDigest} failed: {e.Message}";
        }
    }
}
