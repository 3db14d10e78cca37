using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Engine;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Observability;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.Handlers;

/// <summary>
/// <c>iac-scans</c>: scans an upload from <c>iac-uploads</c>, writes <c>reports/iac/{tenant}/{scanId}/report.json</c>
/// and returns the notification. An upload can be announced twice (HTTP upload and blob trigger); the
/// notification is sent once, guarded by <c>scans/{scanId}/notified</c>.
/// </summary>
internal sealed class IacScanHandler(PipelineStorage storage, IIacScanner scanner, ReportStore reports, IPolicyEvaluator policy, IOptionsMonitor<PipelineOptions> options, TimeProvider time, ILogger<IacScanHandler> logger) : IMessageHandler
{
    public string Queue => QueueNames.IacScans;

    /// <summary>Scan ids of uploads depend only on the blob name, so both announcements of one upload agree.</summary>
    public static string ScanIdFor(string blob) => "iac-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(blob)))[..28];

    public async Task<HandlerResult> HandleAsync(string body, MessageContext context, CancellationToken cancellationToken = default)
    {
        var request = MessageJson.Read<IacScanRequest>(body);
        using var activity = PipelineTelemetry.StartConsumer("scan iac", request.TraceParent);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ScanId"] = request.ScanId });
        var blob = storage.Container(Containers.IacUploads).GetBlobClient(request.Blob);
        await using var upload = await blob.OpenReadAsync(cancellationToken: cancellationToken);
        var report = await scanner.ScanAsync(upload, Path.GetFileName(request.Blob), cancellationToken);
        options.CurrentValue.Tenants.TryGetValue(request.Tenant, out var tenant);
        report = policy.Apply(report, tenant?.Policy, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var reportBlob = await reports.WriteAsync($"iac/{request.Tenant}/{request.ScanId}/", report, cancellationToken);
        logger.LogInformation("IaC scan {ScanId} of {Blob}: {Count} misconfigurations", request.ScanId, request.Blob, report.Misconfigurations.Count);
        if (tenant is not { Webhooks.Count: > 0 } || !await BlobJson.TryCreateAsync(storage.Container(Containers.Scans).GetBlobClient($"{request.ScanId}/notified"), BinaryData.FromString(context.Id), cancellationToken))
        {
            return HandlerResult.Of($"report {reportBlob}");
        }

        var notify = new NotificationRequest { ScanId = request.ScanId, Tenant = request.Tenant, ReportBlob = reportBlob, TraceParent = PipelineTelemetry.CurrentTraceParent(), EnqueuedAt = time.GetUtcNow() };
        return HandlerResult.Of($"report {reportBlob}", OutgoingMessage.Create(QueueNames.Notifications, notify));
    }
}
