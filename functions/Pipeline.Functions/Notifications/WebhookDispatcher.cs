using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Storage;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Pipeline.Functions.Notifications;

/// <summary>The outcome of delivering to one endpoint.</summary>
internal sealed record DeliveryResult(string Endpoint, string Outcome, int Attempts, string? Error = null);

/// <summary>
/// Delivers an announcement (a finished scan, new vulnerabilities) to every webhook of a tenant, in parallel and
/// isolated: each endpoint has its own retry schedule (Polly, on the injected TimeProvider), a failing or slow
/// endpoint never delays the others, a 410 Gone disables the endpoint, and a delivery that fails every attempt
/// is kept as a dead letter. An acknowledged <c>webhook-id</c> is recorded and not sent again, so a notification
/// queued twice for one scan (at-least-once queues) reaches each endpoint once; only a worker dying between the
/// endpoint's answer and that record can repeat it, under the same <c>webhook-id</c> for the receiver to drop.
/// Never throws for an endpoint's failure, so one dead endpoint cannot poison the queue message.
/// </summary>
internal sealed class WebhookDispatcher
{
    public const string HttpClientName = "webhooks";

    private readonly IHttpClientFactory _http;
    private readonly WebhookStateStore _state;
    private readonly IOptionsMonitor<PipelineOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;

    public WebhookDispatcher(IHttpClientFactory http, WebhookStateStore state, IOptionsMonitor<PipelineOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger)
    {
        _http = http;
        _state = state;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task<IReadOnlyList<DeliveryResult>> DeliverAsync(string tenant, IReadOnlyList<WebhookOptions> endpoints, Func<string, WebhookEvent> announcement, CancellationToken cancellationToken)
    {
        var deliveries = endpoints.Select(endpoint => Task.Run(() => DeliverOneAsync(tenant, endpoint, announcement, cancellationToken), cancellationToken));
        return await Task.WhenAll(deliveries);
    }

    /// <summary>A short stable name of an endpoint for logs and blob names; URLs such as Slack's hold secrets.</summary>
    internal static string EndpointId(Uri url) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)))[..16];

    private async Task<DeliveryResult> DeliverOneAsync(string tenant, WebhookOptions endpoint, Func<string, WebhookEvent> announcement, CancellationToken cancellationToken)
    {
        var url = endpoint.Url!;
        var endpointId = EndpointId(url);
        var label = $"{url.Host} ({endpointId})";
        try
        {
            if (await _state.IsDisabledAsync(tenant, endpointId, cancellationToken))
            {
                return new DeliveryResult(label, "disabled", 0);
            }

            var e = announcement(endpointId);
            if (await _state.WasDeliveredAsync(tenant, e.WebhookId, cancellationToken))
            {
                // A repeated notification (a redelivered or duplicated queue message): the endpoint has this one.
                return new DeliveryResult(label, "already delivered", 0);
            }

            var body = WebhookPayloads.Render(e, endpoint.Format);
            var attempts = 0;
            var outcome = await BuildPipeline(label).ExecuteAsync(
                async ct =>
                {
                    attempts++;
                    return await SendAsync(endpoint, e.WebhookId, body, ct);
                },
                cancellationToken);
            using var response = outcome;
            if (response.IsSuccessStatusCode)
            {
                await _state.MarkDeliveredAsync(tenant, e.WebhookId, cancellationToken);
                return new DeliveryResult(label, "delivered", attempts);
            }

            if (response.StatusCode == HttpStatusCode.Gone)
            {
                _logger.LogWarning("Webhook {Endpoint} of tenant {Tenant} answered 410 Gone; disabling it", label, tenant);
                await _state.DisableAsync(tenant, endpointId, url.Host, "410 Gone", cancellationToken);
                return new DeliveryResult(label, "disabled", attempts, "410 Gone");
            }

            var error = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            await _state.DeadLetterAsync(tenant, endpointId, url.Host, e.WebhookId, e.ScanId, body, error, attempts, cancellationToken);
            return new DeliveryResult(label, "dead-lettered", attempts, error);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Webhook {Endpoint} of tenant {Tenant} failed every attempt", label, tenant);
            var e = announcement(endpointId);
            await _state.DeadLetterAsync(tenant, endpointId, url.Host, e.WebhookId, e.ScanId, body: null, ex.Message, _options.CurrentValue.Delivery.MaxRetryAttempts + 1, cancellationToken);
            return new DeliveryResult(label, "dead-lettered", _options.CurrentValue.Delivery.MaxRetryAttempts + 1, ex.Message);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(WebhookOptions endpoint, string webhookId, string body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (endpoint.Format == WebhookFormat.CloudEvents)
        {
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/cloudevents+json") { CharSet = "utf-8" };
        }

        if (StandardWebhookSecret.TryParse(endpoint.Secret, out var key))
        {
            // Each attempt is signed with its own timestamp: receivers reject stale timestamps.
            var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.Add("webhook-id", webhookId);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", StandardWebhookSignature.Sign(key, webhookId, timestamp, body));
        }

        using var client = _http.CreateClient(HttpClientName);
        return await client.SendAsync(request, cancellationToken);
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(string label)
    {
        var delivery = _options.CurrentValue.Delivery;
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = delivery.MaxRetryAttempts,
                Delay = delivery.FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(IsTransient),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    _logger.LogInformation("Webhook {Endpoint}: attempt {Attempt} failed ({Error}); retrying in {Delay}", label, args.AttemptNumber + 1, args.Outcome.Exception?.Message ?? $"HTTP {(int?)args.Outcome.Result?.StatusCode}", args.RetryDelay);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(delivery.AttemptTimeout)
            .Build();
    }

    // 2xx is delivered; 410 disables; other 4xx are the receiver's final answer except 408 and 429.
    // 3xx counts as a failure (Standard Webhooks), retried like a 5xx.
    private static bool IsTransient(HttpResponseMessage r) =>
        !r.IsSuccessStatusCode && r.StatusCode != HttpStatusCode.Gone &&
        ((int)r.StatusCode >= 500 || (int)r.StatusCode is >= 300 and < 400 || r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);

    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return delay is { } d && d > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(d.Ticks, TimeSpan.FromHours(1).Ticks)) : null;
    }
}
