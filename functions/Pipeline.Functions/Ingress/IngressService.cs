using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Observability;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.Ingress;

/// <summary>
/// The ingress of every source: read a bounded body, authenticate, parse, check the allow-list, skip
/// non-image artifacts, dedupe, enqueue one <see cref="ImagePushed"/> per new push, and audit the outcome.
/// </summary>
internal sealed class IngressService
{
    private readonly Dictionary<string, IIngressParser> _parsers;
    private readonly IngressAuthenticator _auth;
    private readonly AuditLog _audit;
    private readonly DedupeStore _dedupe;
    private readonly PipelineStorage _storage;
    private readonly IOptionsMonitor<PipelineOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<IngressService> _logger;

    public IngressService(IEnumerable<IIngressParser> parsers, IngressAuthenticator auth, AuditLog audit, DedupeStore dedupe, PipelineStorage storage, IOptionsMonitor<PipelineOptions> options, TimeProvider time, ILogger<IngressService> logger)
    {
        _parsers = parsers.ToDictionary(p => p.Source, StringComparer.Ordinal);
        _auth = auth;
        _audit = audit;
        _dedupe = dedupe;
        _storage = storage;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public IReadOnlyCollection<string> Sources => _parsers.Keys;

    public async Task<IResult> HandleAsync(string source, string tenantId, HttpContext context, CancellationToken cancellationToken)
    {
        using var activity = PipelineTelemetry.Source.StartActivity("ingress " + source, ActivityKind.Server);
        var options = _options.CurrentValue;
        var audit = new AuditRecord
        {
            Time = _time.GetUtcNow(),
            Source = source,
            Tenant = TenantIds.IsValid(tenantId) ? tenantId : "_invalid",
            Outcome = "rejected",
            Reason = string.Empty,
            RemoteIp = context.Connection.RemoteIpAddress?.ToString(),
        };

        if (!_parsers.TryGetValue(source, out var parser))
        {
            return await FinishAsync(audit with { Reason = "unknown source" }, StatusCodes.Status404NotFound, cancellationToken);
        }

        options.Tenants.TryGetValue(tenantId, out var tenant);
        var body = await ReadBoundedAsync(context.Request, options.MaxIngressBodyBytes, cancellationToken);
        if (body is null)
        {
            return await FinishAsync(audit with { Reason = $"body larger than {options.MaxIngressBodyBytes} bytes" }, StatusCodes.Status413PayloadTooLarge, cancellationToken);
        }

        var auth = await _auth.AuthenticateAsync(parser.AuthScheme, tenant, context.Request, body.ToMemory(), cancellationToken);
        if (auth.Outcome != AuthOutcome.Accepted || tenant is null)
        {
            var status = auth.Outcome == AuthOutcome.Missing ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
            var reason = tenant is null ? "unknown tenant" : auth.Reason;
            return await FinishAsync(audit with { Reason = reason }, status, cancellationToken);
        }

        IngressBatch batch;
        try
        {
            batch = parser.Parse(body);
            foreach (var push in batch.Pushes)
            {
                ImageNames.Validate(push);
            }
        }
        catch (MalformedPayloadException e)
        {
            return await FinishAsync(audit with { Reason = "malformed: " + e.Message }, StatusCodes.Status400BadRequest, cancellationToken);
        }

        if (batch.ValidationCode is { } code)
        {
            await _audit.WriteAsync(audit with { Outcome = "validated", Reason = "event grid subscription validation (" + auth.Reason + ")", Status = 200 }, cancellationToken);
            return Results.Json(new { validationResponse = code });
        }

        var images = batch.Pushes.Select(p => $"{p.Registry}/{p.Repository}@{p.Digest}").ToList();
        audit = audit with { Images = images };
        var denied = batch.Pushes.FirstOrDefault(p => !tenant.AllowedRegistries.Contains(p.Registry, StringComparer.OrdinalIgnoreCase));
        if (denied is not null)
        {
            return await FinishAsync(audit with { Reason = $"registry {denied.Registry} is not in the tenant's allow-list" }, StatusCodes.Status403Forbidden, cancellationToken);
        }

        var accepted = new List<string>();
        var skipped = batch.Skipped.Select(s => new { image = (string?)null, reason = s.Reason }).ToList();
        foreach (var push in batch.Pushes)
        {
            var image = $"{push.Registry}/{push.Repository}@{push.Digest}";
            if (ArtifactFilter.SkipReason(push) is { } why)
            {
                skipped.Add(new { image = (string?)image, reason = why });
                continue;
            }

            if (!await _dedupe.TryClaimAsync(tenantId, push.Registry, push.Repository, push.Digest, options.DedupeWindow, cancellationToken))
            {
                skipped.Add(new { image = (string?)image, reason = $"duplicate push within {options.DedupeWindow}" });
                continue;
            }

            var message = new ImagePushed
            {
                Registry = push.Registry.ToLowerInvariant(),
                Repository = push.Repository,
                Digest = push.Digest,
                Tag = push.Tag,
                MediaType = push.MediaType,
                Source = source,
                Tenant = tenantId,
                ReceivedAt = audit.Time,
                TraceParent = PipelineTelemetry.CurrentTraceParent(),
            };
            await _storage.SendAsync([OutgoingMessage.Create(QueueNames.ScanRequests, message)], cancellationToken);
            accepted.Add(image);
        }

        var outcome = accepted.Count > 0 ? "accepted" : skipped.Any(s => s.reason.StartsWith("duplicate", StringComparison.Ordinal)) ? "duplicate" : "skipped";
        var summary = string.Join("; ", skipped.Select(s => s.image is null ? s.reason : $"{s.image}: {s.reason}"));
        await _audit.WriteAsync(audit with { Outcome = outcome, Status = 202, Reason = $"{auth.Reason}; {accepted.Count} queued" + (summary.Length > 0 ? "; skipped: " + summary : string.Empty) }, cancellationToken);
        activity?.SetTag("pipeline.accepted", accepted.Count);
        return Results.Json(new { accepted, skipped }, statusCode: StatusCodes.Status202Accepted);
    }

    private async Task<IResult> FinishAsync(AuditRecord record, int status, CancellationToken cancellationToken)
    {
        await _audit.WriteAsync(record with { Status = status }, cancellationToken);
        return Results.Problem(title: record.Reason, statusCode: status);
    }

    /// <summary>Reads the body up to <paramref name="limit"/> bytes; null when it is larger (nothing beyond the limit is buffered).</summary>
    internal static async Task<BinaryData?> ReadBoundedAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return new BinaryData(buffer.ToArray());
    }

    /// <summary>The CloudEvents webhook validation handshake (an OPTIONS request from Event Grid).</summary>
    public static IResult CloudEventsHandshake(HttpContext context)
    {
        var origin = context.Request.Headers["WebHook-Request-Origin"].FirstOrDefault();
        if (string.IsNullOrEmpty(origin))
        {
            return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
        }

        context.Response.Headers["WebHook-Allowed-Origin"] = origin;
        context.Response.Headers["WebHook-Allowed-Rate"] = "*";
        context.Response.Headers.Allow = "POST, OPTIONS";
        return Results.Ok();
    }
}
