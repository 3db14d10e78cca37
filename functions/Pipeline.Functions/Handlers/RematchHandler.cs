using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Core.Analysis;
using Pipeline.Core.Reports;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Observability;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.Handlers;

/// <summary>
/// <c>image-rematch</c>: judges one stored image inventory again with the current database, exactly as the
/// aggregator judges a fresh one (<see cref="ImageJudge"/>), without pulling or analyzing a layer. When the report
/// changes it is rewritten (JSON, SARIF, CycloneDX); when findings appear that the previous report did not hold,
/// a <see cref="NotificationRequest"/> announces only those. Each (image, version) is done once: its outcome is
/// recorded before the report is rewritten, a later message for the same pair stops at the record, and a
/// redelivery announces the recorded findings again under the same webhook-id.
/// </summary>
internal sealed class RematchHandler(ReportStore reports, ScanStateStore state, VulnerabilityDbStore databases, ImageJudge judge, IOptionsMonitor<PipelineOptions> options, TimeProvider time, ILogger<RematchHandler> logger) : IMessageHandler
{
    public string Queue => QueueNames.ImageRematch;

    public async Task<HandlerResult> HandleAsync(string body, MessageContext context, CancellationToken cancellationToken = default)
    {
        var request = MessageJson.Read<RematchRequest>(body);
        var rematchId = ScanIds.ForRematch(request.Version, request.Inventory);
        using var activity = PipelineTelemetry.StartConsumer("rematch", request.TraceParent);
        activity?.SetTag("pipeline.scan_id", rematchId);
        activity?.SetTag("pipeline.database_version", request.Version);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ScanId"] = rematchId });

        // A first delivery stops at an existing record: the same version was fanned out twice (published again).
        // A redelivery goes on, since its first attempt may have stopped between the record and the announcement.
        var outcomeBlob = ScanStateStore.RematchBlob(request.Version, request.Inventory);
        var recorded = await state.GetRematchAsync(outcomeBlob, cancellationToken);
        if (recorded is not null && context.DequeueCount <= 1)
        {
            return Done("done", $"{request.Inventory} was already re-matched against {request.Version}");
        }

        var database = await databases.GetCurrentAsync(cancellationToken);
        if (database?.Version != request.Version)
        {
            return Done("superseded", $"database {request.Version} is no longer current ({database?.Version ?? "none"}); the current one's fan-out re-matches {request.Inventory}");
        }

        ImageInventory? inventory;
        ScanReport? previous;
        var prefix = request.Inventory[..^ReportStore.InventoryFile.Length];
        var reportBlob = prefix + ReportStore.ReportFile;
        try
        {
            inventory = await reports.ReadInventoryAsync(request.Inventory, cancellationToken);
            previous = inventory is null ? null : await reports.TryReadAsync(reportBlob, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            // Bad data does not improve with retries: say which blob and why, and leave it as it is.
            logger.LogWarning("Skipping re-match of {Inventory}: {Reason}", request.Inventory, e.Message);
            return Done("skipped", $"skipped {request.Inventory}: {e.Message}");
        }

        if (inventory is null || previous is null)
        {
            // The aggregator writes the inventory first, then the report with the current database.
            return Done("skipped", $"{(inventory is null ? request.Inventory : reportBlob)} does not exist; nothing to re-match");
        }

        var current = await judge.JudgeAsync(inventory, database.Path, cancellationToken);
        ThrowOnNewDetectorErrors(inventory.Merged, previous, current);
        var change = ReportChange.Between(previous, current);
        var outcome = recorded;
        if (outcome is null)
        {
            var fresh = new RematchOutcome { RematchId = rematchId, Version = request.Version, Image = inventory.Image, ReportBlob = reportBlob, Changed = change.Changed, New = change.New, Resolved = change.Resolved, At = time.GetUtcNow() };
            if (await state.TryRecordRematchAsync(outcomeBlob, fresh, cancellationToken))
            {
                outcome = fresh;
            }
            else if (context.DequeueCount <= 1)
            {
                return Done("done", $"{request.Inventory} is being re-matched against {request.Version} by another attempt");
            }
            else
            {
                outcome = await state.GetRematchAsync(outcomeBlob, cancellationToken) ?? fresh;
            }
        }

        if (change.Changed)
        {
            await reports.WriteAsync(prefix, current, cancellationToken);
        }

        logger.LogInformation("Re-matched {Inventory} against {Version}: {New} new and {Resolved} resolved findings, report {Action}", request.Inventory, request.Version, outcome.New.Count, outcome.Resolved.Count, change.Changed ? "rewritten" : "unchanged");
        var summary = $"{reportBlob} against {request.Version}: {outcome.New.Count} new, {outcome.Resolved.Count} resolved, report {(change.Changed ? "rewritten" : "unchanged")}";
        options.CurrentValue.Tenants.TryGetValue(inventory.Image.Tenant, out var tenant);
        if (outcome.New.Count == 0 || tenant is not { Webhooks.Count: > 0 })
        {
            return Done(change.Changed ? "updated" : "unchanged", summary);
        }

        var notify = new NotificationRequest { ScanId = rematchId, Tenant = inventory.Image.Tenant, ReportBlob = reportBlob, ChangeBlob = outcomeBlob, TraceParent = PipelineTelemetry.CurrentTraceParent() ?? request.TraceParent, EnqueuedAt = time.GetUtcNow() };
        PipelineTelemetry.Rematches.Add(1, new KeyValuePair<string, object?>("outcome", "announced"));
        return HandlerResult.Of(summary, OutgoingMessage.Create(QueueNames.Notifications, notify));
    }

    private static HandlerResult Done(string outcome, string log)
    {
        PipelineTelemetry.Rematches.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        return HandlerResult.Of(log);
    }

    /// <summary>
    /// A detector that fails records an error in the report and adds no findings. Taken at face value that would
    /// turn every vulnerability of the image into a resolved one, so an error the previous report did not have
    /// fails the attempt instead (retried, then kept in the poison queue). An error the previous report had too
    /// is the image's lasting state, and the re-match goes on.
    /// </summary>
    private static void ThrowOnNewDetectorErrors(MergedImage merged, ScanReport previous, ScanReport current)
    {
        var known = previous.Errors.Select(e => (e.Analyzer, e.Message)).ToHashSet();
        var fresh = current.Errors.Skip(merged.Errors.Count).Where(e => !known.Contains((e.Analyzer, e.Message))).ToList();
        if (fresh.Count > 0)
        {
            throw new InvalidOperationException("Re-match detectors failed: " + string.Join("; ", fresh.Select(e => $"{e.Analyzer}: {e.Message}")));
        }
    }
}
