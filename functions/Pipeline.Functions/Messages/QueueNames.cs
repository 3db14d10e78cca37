namespace Pipeline.Functions.Messages;

/// <summary>The queues of the pipeline. Each has a <c>-poison</c> twin for messages that failed every attempt.</summary>
public static class QueueNames
{
    public const string ScanRequests = "scan-requests";
    public const string LayerScans = "layer-scans";
    public const string ScanAggregate = "scan-aggregate";
    public const string Notifications = "notifications";
    public const string IacScans = "iac-scans";
    public const string DatabaseUpdated = "db-updated";
    public const string ImageRematch = "image-rematch";
    public const string PoisonSuffix = "-poison";

    public static IReadOnlyList<string> All { get; } = [ScanRequests, LayerScans, ScanAggregate, Notifications, IacScans, DatabaseUpdated, ImageRematch];

    public static string Poison(string queue) => queue + PoisonSuffix;
}
