using System.Text.Json;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;
using Pipeline.Core.Images;

namespace Pipeline.Functions.Ingress;

/// <summary>Reads one source's request body into push candidates. Pure: no I/O, no clock.</summary>
internal interface IIngressParser
{
    /// <summary>Route segment and audit name of the source (<c>eventgrid</c>, <c>distribution</c>, …).</summary>
    string Source { get; }

    /// <summary>How requests of this source authenticate.</summary>
    IngressAuthScheme AuthScheme { get; }

    /// <summary>Parses the body; throws <see cref="MalformedPayloadException"/> when it is not the source's schema.</summary>
    IngressBatch Parse(BinaryData body);
}

/// <summary>The credential kinds ingress accepts.</summary>
internal enum IngressAuthScheme
{
    /// <summary>An Event Grid key or an Entra bearer token.</summary>
    EventGrid,

    /// <summary>A shared secret header or an HMAC-SHA256 signature of the body.</summary>
    SharedSecret,
}

internal static class JsonLimits
{
    public static readonly JsonDocumentOptions Document = new() { MaxDepth = 32 };

    public static JsonDocument Parse(BinaryData body, string what)
    {
        try
        {
            return JsonDocument.Parse(body.ToMemory(), Document);
        }
        catch (JsonException e)
        {
            throw new MalformedPayloadException($"Body is not valid JSON for {what}: {e.Message}", e);
        }
    }

    public static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static string Required(JsonElement e, string name, string where) =>
        String(e, name) is { Length: > 0 } s ? s : throw new MalformedPayloadException($"{where}: missing string property '{name}'.");

    public static JsonElement Object(JsonElement e, string name, string where) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object
            ? v
            : throw new MalformedPayloadException($"{where}: missing object property '{name}'.");
}

/// <summary>ACR events in the Event Grid schema (<c>deliverySchema: EventGridSchema</c>), including the validation handshake.</summary>
internal sealed class EventGridParser : IIngressParser
{
    public string Source => "eventgrid";

    public IngressAuthScheme AuthScheme => IngressAuthScheme.EventGrid;

    public IngressBatch Parse(BinaryData body)
    {
        EventGridEvent[] events;
        try
        {
            events = EventGridEvent.ParseMany(body);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException or InvalidOperationException)
        {
            throw new MalformedPayloadException("Body is not an Event Grid event array: " + e.Message, e);
        }

        var batch = new IngressBatch();
        foreach (var e in events)
        {
            if (!e.TryGetSystemEventData(out var data))
            {
                batch.Skipped.Add(new SkippedEvent($"event type {e.EventType} is not handled"));
                continue;
            }

            switch (data)
            {
                case SubscriptionValidationEventData v:
                    batch.ValidationCode = v.ValidationCode ?? throw new MalformedPayloadException("Subscription validation event without validationCode.");
                    break;
                case ContainerRegistryImagePushedEventData pushed:
                    batch.Pushes.Add(AcrEvents.ToCandidate(pushed, e.Topic));
                    break;
                default:
                    batch.Skipped.Add(new SkippedEvent($"event type {e.EventType} is not a push"));
                    break;
            }
        }

        return batch;
    }
}

/// <summary>ACR events in the CloudEvents 1.0 schema (<c>deliverySchema: CloudEventSchemaV1_0</c>); the handshake is an OPTIONS request.</summary>
internal sealed class CloudEventsParser : IIngressParser
{
    public string Source => "cloudevents";

    public IngressAuthScheme AuthScheme => IngressAuthScheme.EventGrid;

    public IngressBatch Parse(BinaryData body)
    {
        CloudEvent[] events;
        try
        {
            events = CloudEvent.ParseMany(body, skipValidation: false);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException or InvalidOperationException)
        {
            throw new MalformedPayloadException("Body is not a CloudEvents 1.0 event or batch: " + e.Message, e);
        }

        var batch = new IngressBatch();
        foreach (var e in events)
        {
            if (e.Type == SystemEventNames.ContainerRegistryImagePushed && e.TryGetSystemEventData(out var data) && data is ContainerRegistryImagePushedEventData pushed)
            {
                batch.Pushes.Add(AcrEvents.ToCandidate(pushed, e.Source));
            }
            else
            {
                batch.Skipped.Add(new SkippedEvent($"event type {e.Type} is not a push"));
            }
        }

        return batch;
    }
}

internal static class AcrEvents
{
    public static PushCandidate ToCandidate(ContainerRegistryImagePushedEventData data, string? topic)
    {
        var target = data.Target ?? throw new MalformedPayloadException("ImagePushed event without target.");
        var registry = data.Request?.Host;
        if (string.IsNullOrEmpty(registry) && topic is { Length: > 0 })
        {
            // The topic is the registry's resource id; its last segment is the registry name.
            registry = topic[(topic.LastIndexOf('/') + 1)..].ToLowerInvariant() + ".azurecr.io";
        }

        return new PushCandidate(
            registry ?? throw new MalformedPayloadException("ImagePushed event names no registry host."),
            target.Repository ?? throw new MalformedPayloadException("ImagePushed event without target.repository."),
            target.Digest ?? throw new MalformedPayloadException("ImagePushed event without target.digest."),
            string.IsNullOrEmpty(target.Tag) ? null : target.Tag,
            target.MediaType);
    }
}

/// <summary>Amazon ECR <c>ECR Image Action</c> events delivered by an EventBridge API destination.</summary>
internal sealed class EcrParser : IIngressParser
{
    public string Source => "ecr";

    public IngressAuthScheme AuthScheme => IngressAuthScheme.SharedSecret;

    public IngressBatch Parse(BinaryData body)
    {
        using var doc = JsonLimits.Parse(body, "an EventBridge event");
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new MalformedPayloadException("EventBridge event must be a JSON object.");
        }

        var batch = new IngressBatch();
        var source = JsonLimits.Required(root, "source", "EventBridge event");
        var detailType = JsonLimits.Required(root, "detail-type", "EventBridge event");
        if (source != "aws.ecr" || detailType != "ECR Image Action")
        {
            batch.Skipped.Add(new SkippedEvent($"{source} '{detailType}' is not an ECR image action"));
            return batch;
        }

        var detail = JsonLimits.Object(root, "detail", "ECR Image Action");
        var action = JsonLimits.String(detail, "action-type");
        var result = JsonLimits.String(detail, "result");
        if (action != "PUSH" || result != "SUCCESS")
        {
            batch.Skipped.Add(new SkippedEvent($"ECR action {action} with result {result} is not a successful push"));
            return batch;
        }

        var account = JsonLimits.Required(root, "account", "ECR Image Action");
        var region = JsonLimits.Required(root, "region", "ECR Image Action");
        batch.Pushes.Add(new PushCandidate(
            $"{account}.dkr.ecr.{region}.amazonaws.com",
            JsonLimits.Required(detail, "repository-name", "ECR Image Action detail"),
            JsonLimits.Required(detail, "image-digest", "ECR Image Action detail"),
            JsonLimits.String(detail, "image-tag") is { Length: > 0 } t ? t : null,
            JsonLimits.String(detail, "manifest-media-type"),
            JsonLimits.String(detail, "artifact-media-type")));
        return batch;
    }
}

/// <summary>
/// The CNCF distribution registry's notification envelope (<c>{"events":[…]}</c>). Only manifest pushes count:
/// layer blob pushes are ignored. The registry sends one event per tag and one per digest for a single push;
/// they are folded into one candidate per digest, keeping the tag.
/// </summary>
internal sealed class DistributionParser : IIngressParser
{
    public const int MaxEvents = 1000;

    public string Source => "distribution";

    public IngressAuthScheme AuthScheme => IngressAuthScheme.SharedSecret;

    public IngressBatch Parse(BinaryData body)
    {
        using var doc = JsonLimits.Parse(body, "a distribution notification envelope");
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
        {
            throw new MalformedPayloadException("Distribution notification must be an object with an 'events' array.");
        }

        if (events.GetArrayLength() > MaxEvents)
        {
            throw new MalformedPayloadException($"Distribution notification holds more than {MaxEvents} events.");
        }

        var batch = new IngressBatch();
        var byDigest = new Dictionary<string, PushCandidate>(StringComparer.Ordinal);
        foreach (var e in events.EnumerateArray())
        {
            var action = JsonLimits.Required(e, "action", "distribution event");
            var target = JsonLimits.Object(e, "target", "distribution event");
            var mediaType = JsonLimits.String(target, "mediaType");
            if (action != "push")
            {
                batch.Skipped.Add(new SkippedEvent($"action {action} is not a push"));
                continue;
            }

            if (!MediaTypes.IsManifest(mediaType) && !MediaTypes.IsIndex(mediaType))
            {
                batch.Skipped.Add(new SkippedEvent($"blob push ({mediaType ?? "no media type"}) ignored"));
                continue;
            }

            var registry = e.TryGetProperty("request", out var request) ? JsonLimits.String(request, "host") : null;
            if (string.IsNullOrEmpty(registry) && Uri.TryCreate(JsonLimits.String(target, "url"), UriKind.Absolute, out var url))
            {
                registry = url.Authority;
            }

            var candidate = new PushCandidate(
                registry ?? throw new MalformedPayloadException("distribution event names no registry host (request.host)."),
                JsonLimits.Required(target, "repository", "distribution event target"),
                JsonLimits.Required(target, "digest", "distribution event target"),
                JsonLimits.String(target, "tag") is { Length: > 0 } t ? t : null,
                mediaType,
                ConfigMediaType(target));
            var key = candidate.Registry + "/" + candidate.Repository + "@" + candidate.Digest;
            if (!byDigest.TryGetValue(key, out var seen) || (seen.Tag is null && candidate.Tag is not null))
            {
                byDigest[key] = candidate;
            }
        }

        batch.Pushes.AddRange(byDigest.Values);
        return batch;
    }

    // With events.includereferences the target lists the manifest's config and layers; the config media
    // type tells a Helm chart or a signature from an image.
    private static string? ConfigMediaType(JsonElement target)
    {
        if (!target.TryGetProperty("references", out var refs) || refs.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var r in refs.EnumerateArray())
        {
            if (JsonLimits.String(r, "mediaType") is { } mt && mt != MediaTypes.OciConfig && mt != MediaTypes.DockerConfig && !mt.Contains("layer", StringComparison.Ordinal) && !mt.Contains("rootfs", StringComparison.Ordinal))
            {
                return mt;
            }
        }

        return null;
    }
}

/// <summary>Harbor's default webhook payload; only <c>PUSH_ARTIFACT</c> starts a scan.</summary>
internal sealed class HarborParser : IIngressParser
{
    public string Source => "harbor";

    public IngressAuthScheme AuthScheme => IngressAuthScheme.SharedSecret;

    public IngressBatch Parse(BinaryData body)
    {
        using var doc = JsonLimits.Parse(body, "a Harbor webhook");
        var root = doc.RootElement;
        var type = JsonLimits.Required(root, "type", "Harbor webhook");
        var batch = new IngressBatch();
        if (type != "PUSH_ARTIFACT")
        {
            batch.Skipped.Add(new SkippedEvent($"Harbor event {type} is not a push"));
            return batch;
        }

        var data = JsonLimits.Object(root, "event_data", "Harbor webhook");
        var repository = JsonLimits.Object(data, "repository", "Harbor event_data");
        var repoName = JsonLimits.Required(repository, "repo_full_name", "Harbor repository");
        if (!data.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array || resources.GetArrayLength() == 0)
        {
            throw new MalformedPayloadException("Harbor PUSH_ARTIFACT without event_data.resources.");
        }

        foreach (var r in resources.EnumerateArray().Take(DistributionParser.MaxEvents))
        {
            var resourceUrl = JsonLimits.Required(r, "resource_url", "Harbor resource");
            var slash = resourceUrl.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0)
            {
                throw new MalformedPayloadException($"Harbor resource_url '{resourceUrl}' names no registry host.");
            }

            batch.Pushes.Add(new PushCandidate(
                resourceUrl[..slash],
                repoName,
                JsonLimits.Required(r, "digest", "Harbor resource"),
                JsonLimits.String(r, "tag") is { Length: > 0 } t ? t : null,
                MediaType: null));
        }

        return batch;
    }
}
