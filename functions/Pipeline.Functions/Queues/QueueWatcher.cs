using System.Collections.Concurrent;

namespace Pipeline.Functions.Queues;

/// <summary>
/// Wakes an idle listener when this process has just written to its queue, as the Functions host's
/// SharedQueueWatcher does: a stage's output is picked up at once instead of after the polling back-off, which
/// matters when every stage of a scan runs in one process (push-to-webhook latency).
/// </summary>
internal sealed class QueueWatcher
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    /// <summary>Tells the listener of <paramref name="queue"/> that a message was just added.</summary>
    public void Notify(string queue)
    {
        if (_signals.TryRemove(queue, out var signal))
        {
            signal.TrySetResult();
        }
    }

    /// <summary>Waits for <paramref name="delay"/> or until <see cref="Notify"/> is called for <paramref name="queue"/>; true when notified.</summary>
    public async Task<bool> WaitAsync(string queue, TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        var signal = _signals.GetOrAdd(queue, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sleep = Task.Delay(delay, time, timeout.Token);
        var first = await Task.WhenAny(sleep, signal.Task);
        await timeout.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        return first == signal.Task;
    }
}
