using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Observability;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.Handlers;

/// <summary>
/// <c>db-updated</c>: fans a newly published vulnerability database out to the stored images. Each message lists
/// one page of the reports container and returns a <see cref="RematchRequest"/> per inventory on it, plus a
/// <see cref="DatabaseUpdated"/> for the next page, so the fan-out scales with the number of images without one
/// message doing all of it. A message whose version is no longer current stops there: its successor's own
/// fan-out covers every image. A redelivered page queues its requests again; each image is re-matched once per
/// version, so that costs a lookup per image and changes nothing.
/// </summary>
internal sealed class DatabaseUpdatedHandler(VulnerabilityDbStore databases, ReportStore reports, IOptionsMonitor<PipelineOptions> options, TimeProvider time, ILogger<DatabaseUpdatedHandler> logger) : IMessageHandler
{
    public string Queue => QueueNames.DatabaseUpdated;

    public async Task<HandlerResult> HandleAsync(string body, MessageContext context, CancellationToken cancellationToken = default)
    {
        var request = MessageJson.Read<DatabaseUpdated>(body);
        using var activity = PipelineTelemetry.StartConsumer("fan out re-match", request.TraceParent);
        activity?.SetTag("pipeline.database_version", request.Version);
        var current = await databases.GetPointerAsync(cancellationToken);
        if (current?.Version != request.Version)
        {
            logger.LogInformation("Database {Version} is no longer current ({Current}); its re-match stops", request.Version, current?.Version ?? "none");
            return HandlerResult.Of($"database {request.Version} is no longer current ({current?.Version ?? "none"}); nothing queued");
        }

        var (inventories, next) = await reports.ListInventoriesAsync(request.Continuation, options.CurrentValue.RematchListPageSize, cancellationToken);
        var traceParent = PipelineTelemetry.CurrentTraceParent() ?? request.TraceParent;
        var now = time.GetUtcNow();
        var messages = inventories
            .Select(i => OutgoingMessage.Create(QueueNames.ImageRematch, new RematchRequest { Version = request.Version, Inventory = i, TraceParent = traceParent, EnqueuedAt = now }))
            .ToList();
        if (next is not null)
        {
            messages.Add(OutgoingMessage.Create(QueueNames.DatabaseUpdated, request with { Continuation = next, TraceParent = traceParent, EnqueuedAt = now }));
        }

        logger.LogInformation("Database {Version}: {Count} stored images queued for re-matching{More}", request.Version, inventories.Count, next is null ? string.Empty : "; the next page follows");
        return new HandlerResult(messages, [$"{inventories.Count} stored images queued for re-matching against {request.Version}{(next is null ? string.Empty : "; next page queued")}"]);
    }
}
