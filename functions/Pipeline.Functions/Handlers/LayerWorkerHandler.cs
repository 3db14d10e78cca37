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
internal sealed class LayerWorkerHandler : IMessageHandler
{
    private readonly IImageSourceProvider _sources;
    private readonly ILayerAnalyzer _analyzer;
    private readonly BlobLayerCache _cache;
    private readonly ScanStateStore _state;
    private readonly TimeProvider _time;
    private readonly ILogger<LayerWorkerHandler> _logger;

    public LayerWorkerHandler(IImageSourceProvider sources, ILayerAnalyzer analyzer, BlobLayerCache cache, ScanStateStore state, TimeProvider time, ILogger<LayerWorkerHandler> logger)
    {
        _sources = sources;
        _analyzer = analyzer;
        _cache = cache;
        _state = state;
        _time = time;
        _logger = logger;
    }

    public string Queue => QueueNames.LayerScans;

    public async Task<HandlerResult> HandleAsync(string body, MessageContext context, CancellationToken cancellationToken = default)
    {
        var request = MessageJson.Read<LayerScanRequest>(body);
        using var activity = PipelineTelemetry.StartConsumer("analyze layer", request.TraceParent);
        activity?.SetTag("pipeline.scan_id", request.ScanId);
        activity?.SetTag("pipeline.layer", request.LayerDigest);
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["ScanId"] = request.ScanId });
        var log = await AnalyzeOnceAsync(request, cancellationToken);

        await _state.MarkDoneAsync(request.ScanId, request.Index, cancellationToken);
        var plan = await _state.GetPlanAsync(request.ScanId, cancellationToken)
            ?? throw new InvalidOperationException($"Scan {request.ScanId} has no plan (scans/{request.ScanId}/expected.json).");
        var done = await _state.DoneAsync(request.ScanId, cancellationToken);
        if (plan.Layers.Any(l => !done.Contains(l.Index)))
        {
            return HandlerResult.Of($"{log}; {done.Count}/{plan.Layers.Count} layers done");
        }

        if (!await _state.TryAcquireAggregationAsync(request.ScanId, context.Id, cancellationToken))
        {
            return HandlerResult.Of($"{log}; aggregation already queued by another worker");
        }

        _logger.LogInformation("Scan {ScanId}: all {Count} layers done; queueing aggregation", request.ScanId, plan.Layers.Count);
        var aggregate = new AggregateRequest { ScanId = request.ScanId, Image = request.Image, TraceParent = PipelineTelemetry.CurrentTraceParent() ?? request.TraceParent, EnqueuedAt = _time.GetUtcNow() };
        return HandlerResult.Of($"{log}; queued aggregation", OutgoingMessage.Create(QueueNames.ScanAggregate, aggregate));
    }

    private async Task<string> AnalyzeOnceAsync(LayerScanRequest request, CancellationToken cancellationToken)
    {
        if (await _cache.ExistsAsync(request.CacheKey, cancellationToken))
        {
            // Another worker (another image sharing the layer, or an earlier delivery) already did it.
            return $"layer {request.LayerDigest} already cached";
        }

        var descriptor = new LayerDescriptor { Digest = request.LayerDigest, DiffId = request.DiffId, MediaType = request.MediaType };
        await using var source = _sources.Open(request.Image);
        try
        {
            var analysis = await _analyzer.AnalyzeAsync(source, descriptor, cancellationToken);
            await _cache.PutAsync(request.CacheKey, analysis, cancellationToken);
            _logger.LogInformation("Analyzed layer {Layer} of scan {ScanId}", request.LayerDigest, request.ScanId);
            return $"analyzed layer {request.LayerDigest}";
        }
        catch (LayerException e)
        {
            // A layer that does not match its digest or breaks a bound never will: retrying cannot help, and
            // the scan must still finish, so record the failure for the report instead of throwing.
            _logger.LogError(e, "Layer {Layer} of scan {ScanId} failed", request.LayerDigest, request.ScanId);
            await _state.MarkFailedAsync(request.ScanId, request.Index, e.Message, cancellationToken);
            return $"layer {request.LayerDigest} failed: {e.Message}";
        }
    }
}
