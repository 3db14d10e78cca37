using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Notifications;
using Pipeline.Functions.Observability;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.Handlers;

/// <summary>
/// <c>notifications</c>: announces a report to the tenant's webhooks, as a finished scan or, for a re-match, as the
/// new vulnerabilities it found (<see cref="NotificationRequest.ChangeBlob"/>). Endpoint failures end as dead
/// letters, not as handler failures, so a redelivery never re-sends to the endpoints that already got it.
/// </summary>
internal sealed class NotifierHandler(ReportStore reports, ScanStateStore state, PipelineStorage storage, WebhookDispatcher dispatcher, IOptionsMonitor<PipelineOptions> options, TimeProvider time, ILogger<NotifierHandler> logger) : IMessageHandler
{
    public string Queue => QueueNames.Notifications;

    public async Task<HandlerResult> HandleAsync(string body, MessageContext context, CancellationToken cancellationToken = default)
    {
        var request = MessageJson.Read<NotificationRequest>(body);
        using var activity = PipelineTelemetry.StartConsumer("notify", request.TraceParent);
        activity?.SetTag("pipeline.scan_id", request.ScanId);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ScanId"] = request.ScanId });
        if (!options.CurrentValue.Tenants.TryGetValue(request.Tenant, out var tenant) || tenant.Webhooks.Count == 0)
        {
            return HandlerResult.Of($"tenant {request.Tenant} has no webhooks");
        }

        var report = await reports.ReadAsync(request.ReportBlob, cancellationToken);
        var change = request.ChangeBlob is { } changeBlob
            ? await state.GetRematchAsync(changeBlob, cancellationToken) ?? throw new InvalidOperationException($"Re-match outcome {changeBlob} does not exist.")
            : null;
        var reportUrl = storage.Container(Containers.Reports).GetBlobClient(request.ReportBlob).Uri;
        var now = time.GetUtcNow();
        var results = await dispatcher.DeliverAsync(
            request.Tenant,
            tenant.Webhooks,
            endpointId => change is null
                ? new ScanCompleted(WebhookId(request.ScanId, endpointId), request.Tenant, request.ScanId, report, request.ReportBlob, reportUrl, now)
                : new NewVulnerabilitiesFound(WebhookId(request.ScanId, endpointId), request.Tenant, request.ScanId, report, request.ReportBlob, reportUrl, now, change),
            cancellationToken);
        foreach (var r in results)
        {
            logger.LogInformation("Webhook {Endpoint}: {Outcome} after {Attempts} attempts {Error}", r.Endpoint, r.Outcome, r.Attempts, r.Error);
        }

        return new HandlerResult([], [.. results.Select(r => $"{r.Endpoint}: {r.Outcome} ({r.Attempts} attempts){(r.Error is null ? string.Empty : " " + r.Error)}")]);
    }

    /// <summary>Stable per scan (or re-match) and endpoint: a receiver dedupes on it (Standard Webhooks <c>webhook-id</c>).</summary>
    internal static string WebhookId(string scanId, string endpointId) =>
        "msg_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scanId + "\n" + endpointId)))[..24];
}
