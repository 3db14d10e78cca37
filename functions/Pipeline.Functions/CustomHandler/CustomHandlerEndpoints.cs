using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Core;
using Pipeline.Functions.Handlers;
using Pipeline.Functions.Messages;

namespace Pipeline.Functions.CustomHandler;

/// <summary>
/// The Azure Functions custom-handler protocol: the host POSTs <c>{Data, Metadata}</c> to <c>/{FunctionName}</c> and
/// expects <c>{Outputs, Logs, ReturnValue}</c>. Queue outputs are arrays of message strings (an array enqueues
/// several messages). A failing handler answers 500, which fails the invocation so the host retries the message
/// and finally moves it to the poison queue, as in standalone mode.
/// </summary>
internal static class CustomHandlerEndpoints
{
    public static void MapCustomHandlerFunctions(this IEndpointRouteBuilder app)
    {
        foreach (var function in FunctionCatalog.All.Where(f => f.Trigger.Type != "httpTrigger"))
        {
            app.MapPost("/" + function.Name, (HttpContext context, IServiceProvider services, CancellationToken ct) => InvokeAsync(function, context, services, ct));
        }
    }

    private static async Task<IResult> InvokeAsync(FunctionDefinition function, HttpContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Pipeline.Functions.CustomHandler");
        JsonObject invocation;
        try
        {
            invocation = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body, cancellationToken: cancellationToken)
                ?? throw new JsonException("empty invocation");
        }
        catch (JsonException e)
        {
            return Results.Json(Response([], [$"invocation payload is not JSON: {e.Message}"]), statusCode: StatusCodes.Status400BadRequest);
        }

        var data = invocation["Data"] as JsonObject;
        var metadata = invocation["Metadata"] as JsonObject;
        var messageContext = new MessageContext(
            metadata?["Id"]?.GetValue<string>() ?? context.Request.Headers["X-Azure-Functions-InvocationId"].FirstOrDefault() ?? "invocation",
            metadata?["DequeueCount"] is JsonValue dq && dq.TryGetValue<long>(out var count) ? count : 1,
            metadata?["InsertionTime"] is JsonValue it && it.TryGetValue<DateTimeOffset>(out var inserted) ? inserted : null);
        try
        {
            var result = function.Trigger.Type == "blobTrigger"
                ? BlobTriggerResult(metadata, services)
                : await RunQueueHandlerAsync(function, data, messageContext, services, cancellationToken);
            return Results.Json(Response(Outputs(function, result.Messages), result.Logs));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Function {Function} failed (attempt {DequeueCount})", function.Name, messageContext.DequeueCount);
            return Results.Json(Response([], [$"{function.Name} failed: {e.Message}"]), statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    private static Task<HandlerResult> RunQueueHandlerAsync(FunctionDefinition function, JsonObject? data, MessageContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        var handler = services.GetServices<IMessageHandler>().Single(h => h.Queue == function.Trigger.QueueName);

        // The host serializes the queue message with JsonConvert: a JSON string holding our JSON.
        var node = data?[function.Trigger.Name] ?? throw new InvalidOperationException($"Data.{function.Trigger.Name} is missing.");
        var body = node is JsonValue v && v.TryGetValue<string>(out var text) ? text : node.ToJsonString();
        return handler.HandleAsync(body, context, cancellationToken);
    }

    // iac-uploads/{name}: the first segment of the name is the tenant.
    private static HandlerResult BlobTriggerResult(JsonObject? metadata, IServiceProvider services)
    {
        var name = metadata?["name"]?.GetValue<string>() ?? throw new InvalidOperationException("Metadata.name is missing.");
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var tenant = slash > 0 ? name[..slash] : throw new InvalidOperationException($"Upload '{name}' is not under a tenant folder (iac-uploads/{{tenant}}/…).");
        var time = services.GetRequiredService<TimeProvider>();
        var request = new IacScanRequest { ScanId = IacScanHandler.ScanIdFor(name), Tenant = tenant, Blob = name, EnqueuedAt = time.GetUtcNow() };
        return HandlerResult.Of($"queued IaC scan of {name}", OutgoingMessage.Create(QueueNames.IacScans, request));
    }

    private static Dictionary<string, object?> Outputs(FunctionDefinition function, IReadOnlyList<OutgoingMessage> messages)
    {
        var outputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var group in messages.GroupBy(m => m.Queue))
        {
            if (!function.QueueOutputs.TryGetValue(group.Key, out var binding))
            {
                throw new InvalidOperationException($"{function.Name} produced a message for {group.Key}, which has no output binding.");
            }

            outputs[binding] = group.Select(m => m.Body).ToArray();
        }

        return outputs;
    }

    private static Dictionary<string, object?> Response(Dictionary<string, object?> outputs, IEnumerable<string> logs) => new()
    {
        ["Outputs"] = outputs,
        ["Logs"] = logs.ToArray(),
        ["ReturnValue"] = null,
    };
}
