using System.Diagnostics;
using System.Text;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Functions.Handlers;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Observability;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.Queues;

/// <summary>
/// A queue trigger without the Functions host: polls one queue and runs its handler with the semantics of
/// the host's QueueListener/QueueProcessor (see integration.md §2): batches with a new-batch threshold,
/// randomized exponential back-off while the queue is empty, a 10-minute lease renewed at half-time,
/// visibilityTimeout as the retry delay, and the poison queue after maxDequeueCount attempts.
/// </summary>
internal sealed class QueueListener : BackgroundService
{
    private readonly PipelineStorage _storage;
    private readonly IMessageHandler _handler;
    private readonly QueueListenerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly QueueClient _queue;
    private readonly SemaphoreSlim _completed = new(0);
    private int _inFlight;

    public QueueListener(PipelineStorage storage, IMessageHandler handler, QueueListenerOptions options, TimeProvider time, ILogger<QueueListener> logger)
    {
        _storage = storage;
        _handler = handler;
        _options = options;
        _time = time;
        _logger = logger;

        // Read raw text and decode base64 here: a message that is not base64 must go to poison, not vanish.
        _queue = storage.RawQueues.GetQueueClient(handler.Queue);
    }

    /// <summary>Messages being processed right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Polls until <paramref name="stoppingToken"/> is cancelled, then waits for the messages in work.</summary>
    public Task RunAsync(CancellationToken stoppingToken) => ExecuteAsync(stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
        var delay = QueueListenerOptions.MinPollingInterval;
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            // Fetch more only when the in-flight count is at or below the threshold, as the host does.
            while (InFlight > _options.EffectiveNewBatchThreshold)
            {
                await _completed.WaitAsync(stoppingToken);
            }

            QueueMessage[] batch;
            try
            {
                batch = (await _queue.ReceiveMessagesAsync(_options.BatchSize, _options.Lease, stoppingToken)).Value;
            }
            catch (RequestFailedException e)
            {
                _logger.LogWarning(e, "Receiving from {Queue} failed", _handler.Queue);
                batch = [];
            }

            if (batch.Length == 0)
            {
                var woken = await _storage.Watcher.WaitAsync(_handler.Queue, delay, _time, stoppingToken);
                delay = woken ? QueueListenerOptions.MinPollingInterval : NextDelay(delay, _options.MaxPollingInterval);
                continue;
            }

            delay = QueueListenerOptions.MinPollingInterval;
            running.RemoveAll(t => t.IsCompleted);
            foreach (var message in batch)
            {
                Interlocked.Increment(ref _inFlight);
                running.Add(Task.Run(() => ProcessAndReleaseAsync(message, stoppingToken), CancellationToken.None));
            }
        }

        await Task.WhenAll(running);
    }

    /// <summary>Randomized exponential back-off: roughly doubles, ±20 %, capped at <paramref name="max"/>.</summary>
    internal static TimeSpan NextDelay(TimeSpan current, TimeSpan max)
    {
        var next = current.TotalMilliseconds * 2 * (0.8 + (Random.Shared.NextDouble() * 0.4));
        return TimeSpan.FromMilliseconds(Math.Clamp(next, QueueListenerOptions.MinPollingInterval.TotalMilliseconds, max.TotalMilliseconds));
    }

    private async Task ProcessAndReleaseAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            await ProcessAsync(message, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Unexpected failure handling message {MessageId} of {Queue}", message.MessageId, _handler.Queue);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            _completed.Release();
        }
    }

    internal async Task ProcessAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        var lease = new LeaseState(message.PopReceipt);
        if (!TryDecode(message.Body, out var body))
        {
            _logger.LogWarning("Message {MessageId} of {Queue} is not valid base64; moving it to poison", message.MessageId, _handler.Queue);
            await MoveToPoisonAsync(message, lease, stoppingToken);
            return;
        }

        if (message.DequeueCount > _options.MaxDequeueCount)
        {
            await MoveToPoisonAsync(message, lease, stoppingToken);
            return;
        }

        if (message.InsertedOn is { } inserted)
        {
            PipelineTelemetry.QueueWait.Record((_time.GetUtcNow() - inserted).TotalSeconds, new KeyValuePair<string, object?>("queue", _handler.Queue));
        }

        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewTask = RenewLeaseAsync(message, lease, renewal.Token);
        Exception? failure = null;
        HandlerResult? result = null;
        try
        {
            result = await _handler.HandleAsync(body, new MessageContext(message.MessageId, message.DequeueCount, message.InsertedOn), stoppingToken);
            await _storage.SendAsync(result.Messages, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            failure = e;
        }
        finally
        {
            await renewal.CancelAsync();
            await renewTask;
        }

        PipelineTelemetry.Invocations.Add(1, new KeyValuePair<string, object?>("function", _handler.Queue), new KeyValuePair<string, object?>("outcome", failure is null ? "success" : "failure"));
        if (failure is null)
        {
            await IgnoreGoneAsync(() => _queue.DeleteMessageAsync(message.MessageId, lease.PopReceipt, stoppingToken));
            return;
        }

        _logger.LogWarning(failure, "Handler of {Queue} failed on message {MessageId} (attempt {DequeueCount} of {Max})", _handler.Queue, message.MessageId, message.DequeueCount, _options.MaxDequeueCount);
        if (message.DequeueCount >= _options.MaxDequeueCount)
        {
            await MoveToPoisonAsync(message, lease, stoppingToken);
        }
        else if (!IsPoisonQueue(_handler.Queue))
        {
            // visibilityTimeout is the retry delay: the message reappears after it.
            await IgnoreGoneAsync(() => _queue.UpdateMessageAsync(message.MessageId, lease.PopReceipt, visibilityTimeout: _options.VisibilityTimeout, cancellationToken: stoppingToken));
        }
    }

    private async Task RenewLeaseAsync(QueueMessage message, LeaseState lease, CancellationToken cancellationToken)
    {
        var interval = _options.Lease / 2;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _time, cancellationToken);
                var receipt = await _queue.UpdateMessageAsync(message.MessageId, lease.PopReceipt, visibilityTimeout: _options.Lease, cancellationToken: cancellationToken);
                lease.PopReceipt = receipt.Value.PopReceipt;
                interval = _options.Lease / 2;
                _logger.LogDebug("Renewed lease of message {MessageId} on {Queue}", message.MessageId, _handler.Queue);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (RequestFailedException e)
            {
                // Renew sooner after a failure, at least every minute, as the host does.
                _logger.LogWarning(e, "Lease renewal of message {MessageId} failed", message.MessageId);
                interval = TimeSpan.FromTicks(Math.Min(interval.Ticks, TimeSpan.FromMinutes(1).Ticks) / 2);
            }
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message, LeaseState lease, CancellationToken cancellationToken)
    {
        if (IsPoisonQueue(_handler.Queue))
        {
            // A poison queue has no poison queue; leave the message invisible rather than loop on it.
            return;
        }

        var poison = _storage.RawQueues.GetQueueClient(QueueNames.Poison(_handler.Queue));
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await poison.SendMessageAsync(message.Body.ToString(), cancellationToken);
        await IgnoreGoneAsync(() => _queue.DeleteMessageAsync(message.MessageId, lease.PopReceipt, cancellationToken));
        _logger.LogError("Message {MessageId} moved from {Queue} to {Poison} after {DequeueCount} attempts", message.MessageId, _handler.Queue, poison.Name, message.DequeueCount);
        Activity.Current?.AddEvent(new ActivityEvent("moved to poison"));
    }

    private bool TryDecode(BinaryData raw, out string body)
    {
        body = string.Empty;
        if (!_options.Base64)
        {
            body = raw.ToString();
            return true;
        }

        try
        {
            body = Encoding.UTF8.GetString(Convert.FromBase64String(raw.ToString()));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsPoisonQueue(string name) => name.EndsWith(QueueNames.PoisonSuffix, StringComparison.Ordinal) || name.Length + QueueNames.PoisonSuffix.Length > 63;

    // 404 (message or queue gone) and 400 (pop receipt no longer matches) mean another consumer or a
    // retention sweep already dealt with the message; nothing is left to do.
    private static async Task IgnoreGoneAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (RequestFailedException e) when (e.Status is 404 or 400)
        {
        }
    }

    private sealed class LeaseState(string popReceipt)
    {
        public string PopReceipt { get; set; } = popReceipt;
    }
}
