using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Handlers;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Observability;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.Ingress;

/// <summary>
/// The HTTP routes. They are the same standalone and behind the Functions host (which forwards the original
/// request to <c>/api/…</c> with <c>enableForwardingHttpRequest</c>).
/// </summary>
internal static class IngressEndpoints
{
    public static void MapIngress(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/ingress/{source}/{tenant}", (string source, string tenant, HttpContext context, IngressService ingress, CancellationToken ct) =>
            ingress.HandleAsync(source, tenant, context, ct));
        app.MapMethods("/api/ingress/{source}/{tenant}", ["OPTIONS"], async (string source, string tenant, HttpContext context, AuditLog audit, TimeProvider time, CancellationToken ct) =>
        {
            var result = source == "cloudevents" ? IngressService.CloudEventsHandshake(context) : Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
            await audit.WriteAsync(
                new AuditRecord
                {
                    Time = time.GetUtcNow(),
                    Source = source,
                    Tenant = TenantIds.IsValid(tenant) ? tenant : "_invalid",
                    Outcome = source == "cloudevents" ? "validated" : "rejected",
                    Reason = "OPTIONS webhook handshake from " + (context.Request.Headers["WebHook-Request-Origin"].FirstOrDefault() ?? "no origin"),
                    Status = result is IStatusCodeHttpResult { StatusCode: { } s } ? s : 200,
                    RemoteIp = context.Connection.RemoteIpAddress?.ToString(),
                },
                ct);
            return result;
        });
        app.MapPost("/api/iac/{tenant}", UploadIacAsync);
    }

    /// <summary>An IaC file or archive upload (<c>?name=main.tf</c>), authenticated like the registry webhooks.</summary>
    private static async Task<IResult> UploadIacAsync(string tenant, string? name, HttpContext context, IngressAuthenticator auth, AuditLog audit, PipelineStorage storage, IOptionsMonitor<PipelineOptions> options, TimeProvider time, CancellationToken ct)
    {
        var current = options.CurrentValue;
        current.Tenants.TryGetValue(tenant, out var tenantOptions);
        var record = new AuditRecord { Time = time.GetUtcNow(), Source = "iac-upload", Tenant = TenantIds.IsValid(tenant) ? tenant : "_invalid", Outcome = "rejected", Reason = string.Empty, RemoteIp = context.Connection.RemoteIpAddress?.ToString() };
        var body = await IngressService.ReadBoundedAsync(context.Request, current.MaxIacUploadBytes, ct);
        if (body is null)
        {
            await audit.WriteAsync(record with { Reason = "upload too large", Status = 413 }, ct);
            return Results.Problem(title: "upload too large", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var result = await auth.AuthenticateAsync(IngressAuthScheme.SharedSecret, tenantOptions, context.Request, body.ToMemory(), ct);
        if (result.Outcome != AuthOutcome.Accepted || tenantOptions is null)
        {
            var status = result.Outcome == AuthOutcome.Missing ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
            await audit.WriteAsync(record with { Reason = tenantOptions is null ? "unknown tenant" : result.Reason, Status = status }, ct);
            return Results.Problem(title: result.Reason, statusCode: status);
        }

        var fileName = Path.GetFileName(name ?? "upload");
        if (fileName.Length is 0 or > 200 || fileName.Any(c => char.IsControl(c) || c is '\\'))
        {
            await audit.WriteAsync(record with { Reason = "invalid file name", Status = 400 }, ct);
            return Results.Problem(title: "query parameter 'name' must be a plain file name", statusCode: StatusCodes.Status400BadRequest);
        }

        var blobName = $"{tenant}/{time.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid():N}/{fileName}";
        await storage.Container(Containers.IacUploads).GetBlobClient(blobName).UploadAsync(body, ct);
        var request = new IacScanRequest { ScanId = IacScanHandler.ScanIdFor(blobName), Tenant = tenant, Blob = blobName, TraceParent = PipelineTelemetry.CurrentTraceParent(), EnqueuedAt = time.GetUtcNow() };
        await storage.SendAsync([OutgoingMessage.Create(QueueNames.IacScans, request)], ct);
        await audit.WriteAsync(record with { Outcome = "accepted", Reason = result.Reason + "; iac upload " + blobName, Status = 202 }, ct);
        return Results.Json(new { scanId = request.ScanId, blob = blobName }, statusCode: StatusCodes.Status202Accepted);
    }
}
