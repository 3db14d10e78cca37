using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pipeline.Functions.Observability;

/// <summary>
/// The pipeline's traces and metrics. Spans of one scan share a trace: each queue message carries the W3C
/// <c>traceparent</c> of the span that produced it, and the consumer starts its span as that span's child.
/// </summary>
public static class PipelineTelemetry
{
    public const string Name = "Pipeline.Functions";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Push received to report written, in seconds.</summary>
    public static readonly Histogram<double> ScanDuration = Meter.CreateHistogram<double>("pipeline.scan.duration", "s", "Time from push received to report written.");

    /// <summary>Layer cache lookups by the orchestrator, tagged <c>result=hit|miss</c>; the hit ratio is hits over all.</summary>
    public static readonly Counter<long> LayerCacheLookups = Meter.CreateCounter<long>("pipeline.layer_cache.lookups", "{lookup}", "Layer cache lookups, tagged result=hit|miss.");

    /// <summary>Time a message waited in its queue before a handler took it, tagged <c>queue</c>.</summary>
    public static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("pipeline.queue.wait", "s", "Time between enqueue and processing start.");

    /// <summary>Stored images re-matched after a database update, tagged <c>outcome</c> (unchanged, updated, announced, done, superseded, skipped).</summary>
    public static readonly Counter<long> Rematches = Meter.CreateCounter<long>("pipeline.rematch.images", "{image}", "Stored images re-matched against a new database, tagged outcome.");

    /// <summary>Handler invocations, tagged <c>function</c> and <c>outcome</c>.</summary>
    public static readonly Counter<long> Invocations = Meter.CreateCounter<long>("pipeline.invocations", "{invocation}", "Handler invocations.");

    /// <summary>Starts a consumer span as a child of the producer's <paramref name="traceParent"/> (a new trace when absent or invalid).</summary>
    public static Activity? StartConsumer(string name, string? traceParent, ActivityKind kind = ActivityKind.Consumer)
    {
        ActivityContext.TryParse(traceParent, null, out var parent);
        return Source.StartActivity(name, kind, parent);
    }

    /// <summary>The W3C traceparent of the current span, to put in the messages it produces.</summary>
    public static string? CurrentTraceParent() => Activity.Current?.Id is { } id && Activity.Current.IdFormat == ActivityIdFormat.W3C ? id : null;
}
