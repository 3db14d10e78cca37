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
internal sealed class IacScanHandler : IMessageHandler
{
    private readonly PipelineStorage _storage;
    private readonly IIacScanner _scanner;
    private readonly ReportStore _reports;
    private readonly IPolicyEvaluator _policy;
    private readonly IOptionsMonitor<PipelineOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<IacScanHandler> _logger;

    public IacScanHandler(PipelineStorage storage, IIacScanner scanner, ReportStore reports, IPolicyEvaluator policy, IOptionsMonitor<PipelineOptions> options, TimeProvider time, ILogger<IacScanHandler> logger)
    {
        _storage = storage;
        _scanner = scanner;
        _reports = reports;
        _policy = policy;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public string Queue => QueueNames.IacScans;

    /// <summary>Scan ids of uploads depend only on the blob name, so both announcements of one upload agree.</summary>
    public static string ScanIdFor(string blob) => "iac-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(blob)))[..28];

    public async Task<HandlerResult> HandleAsync(string body, MessageContext context, CancellationToken cancellationToken = default)
    {
        var request = MessageJson.Read<IacScanRequest>(body);
        using var activity = PipelineTelemetry.StartConsumer("scan iac", request.TraceParent);
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["ScanId"] = request.ScanId });
        var blob = _storage.Container(Containers.IacUploads).GetBlobClient(request.Blob);
        await using var upload = await blob.OpenReadAsync(cancellationToken: cancellationToken);
        var report = await _scanner.ScanAsync(upload, Path.GetFileName(request.Blob), cancellationToken);
        _options.CurrentValue.Tenants.TryGetValue(request.Tenant, out var tenant);
        report = _policy.Apply(report, tenant?.Policy, DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime));
        var reportBlob = await _reports.WriteAsync($"iac/{request.Tenant}/{request.ScanId}/", report, cancellationToken);
        _logger.LogInformation("IaC scan {ScanId} of {Blob}: {Count} misconfigurations", request.ScanId, request.Blob, report.Misconfigurations.Count);
        if (tenant is not { Webhooks.Count: > 0 } || !await BlobJson.TryCreateAsync(_storage.Container(Containers.Scans).GetBlobClient($"{request.ScanId}/notified"), BinaryData.FromString(context.Id), cancellationToken))
        {
            return HandlerResult.Of($"report {reportBlob}");
        }

        var notify = new NotificationRequest { ScanId = request.ScanId, Tenant = request.Tenant, ReportBlob = reportBlob, TraceParent = PipelineTelemetry.CurrentTraceParent(), EnqueuedAt = _time.GetUtcNow() };
        return HandlerResult.Of($"report {reportBlob}", OutgoingMessage.Create(QueueNames.Notifications, notify));
    }
}

/// <summary>Stands in until the IaC engine is registered; fails the message with what to wire.</summary>
internal sealed class UnconfiguredIacScanner : IIacScanner
{
    public Task<Core.Reports.ScanReport> ScanAsync(Stream upload, string fileName, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException($"No IaC scanner is registered to scan {fileName}: register an IIacScanner (PipelineServices.AddPipelineFunctions).");
}
