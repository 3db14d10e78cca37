using System.Text.Json;

namespace Pipeline.Functions.Queues;

/// <summary>
/// host.json <c>extensions.queues</c>, with the Functions host's defaults (Microsoft.Azure.WebJobs.Extensions.Storage
/// <c>QueuesOptions</c>), so the standalone listener behaves like the host.
/// </summary>
public sealed class QueueListenerOptions
{
    /// <summary>Messages fetched per poll and processed in parallel (1–32).</summary>
    /// <value>The default is 16.</value>
    public int BatchSize { get; set; } = 16;

    /// <summary>The next batch is fetched when in-flight messages drop to this count or fewer.</summary>
    /// <value>The default is <c>(BatchSize / 2) * processorCount</c>.</value>
    public int? NewBatchThreshold { get; set; }

    /// <summary>Longest wait between polls of an empty queue; waits grow from 100 ms, randomized and exponential.</summary>
    /// <value>The default is one minute.</value>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Delay before a failed message becomes visible again (not the lease length).</summary>
    /// <value>The default is zero.</value>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>Attempts before a message moves to <c>&lt;queue&gt;-poison</c>.</summary>
    /// <value>The default is 5.</value>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Whether messages are base64-encoded (<c>base64</c>) or plain (<c>none</c>).</summary>
    /// <value>The default is base64, as the Functions host expects.</value>
    public bool Base64 { get; set; } = true;

    /// <summary>How long a fetched message stays invisible while in work; renewed at half-time.</summary>
    /// <value>The default is 10 minutes, as in the Functions host. Not a host.json setting: <c>Pipeline:QueueLease</c>.</value>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The shortest polling interval (the host's floor).</summary>
    public static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    public int EffectiveNewBatchThreshold => NewBatchThreshold ?? BatchSize / 2 * Environment.ProcessorCount;

    /// <summary>Reads <c>extensions.queues</c> of a host.json document; absent settings keep their defaults.</summary>
    public static QueueListenerOptions FromHostJson(string json)
    {
        var options = new QueueListenerOptions();
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!doc.RootElement.TryGetProperty("extensions", out var ext) || !ext.TryGetProperty("queues", out var q))
        {
            return options;
        }

        foreach (var p in q.EnumerateObject())
        {
            switch (p.Name.ToUpperInvariant())
            {
                case "BATCHSIZE": options.BatchSize = p.Value.GetInt32(); break;
                case "NEWBATCHTHRESHOLD": options.NewBatchThreshold = p.Value.GetInt32(); break;
                case "MAXPOLLINGINTERVAL": options.MaxPollingInterval = TimeSpan.Parse(p.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture); break;
                case "VISIBILITYTIMEOUT": options.VisibilityTimeout = TimeSpan.Parse(p.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture); break;
                case "MAXDEQUEUECOUNT": options.MaxDequeueCount = p.Value.GetInt32(); break;
                case "MESSAGEENCODING": options.Base64 = !string.Equals(p.Value.GetString(), "none", StringComparison.OrdinalIgnoreCase); break;
                default: break;
            }
        }

        options.Validate();
        return options;
    }

    /// <summary>Throws when a value is outside the range the Functions host accepts.</summary>
    public void Validate()
    {
        if (BatchSize is < 1 or > 32)
        {
            throw new InvalidOperationException($"extensions.queues.batchSize must be 1-32, was {BatchSize}.");
        }

        if (NewBatchThreshold < 0)
        {
            throw new InvalidOperationException("extensions.queues.newBatchThreshold must not be negative.");
        }

        if (MaxPollingInterval < MinPollingInterval)
        {
            throw new InvalidOperationException("extensions.queues.maxPollingInterval must be at least 00:00:00.100.");
        }

        if (MaxDequeueCount < 1)
        {
            throw new InvalidOperationException("extensions.queues.maxDequeueCount must be at least 1.");
        }

        if (VisibilityTimeout < TimeSpan.Zero || Lease < TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException("visibilityTimeout must not be negative and the lease must be at least one second.");
        }
    }
}
