using Pipeline.Functions.Messages;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.CustomHandler;

/// <summary>One binding of a function.json.</summary>
public sealed record FunctionBinding(string Name, string Type, string Direction)
{
    public string? QueueName { get; init; }

    public string? Path { get; init; }

    public string? Source { get; init; }

    public string? Route { get; init; }

    public IReadOnlyList<string>? Methods { get; init; }
}

/// <summary>A function of the app: its name (the function.json folder) and bindings.</summary>
public sealed record FunctionDefinition(string Name, IReadOnlyList<FunctionBinding> Bindings)
{
    public FunctionBinding Trigger => Bindings.Single(b => b.Direction == "in");

    /// <summary>Queue output binding name by queue name.</summary>
    public IReadOnlyDictionary<string, string> QueueOutputs =>
        Bindings.Where(b => b.Type == "queue" && b.Direction == "out").ToDictionary(b => b.QueueName!, b => b.Name, StringComparer.Ordinal);
}

/// <summary>
/// Every function the app serves, in one place. functions/&lt;Name&gt;/function.json must match these
/// definitions (a test checks it); the custom-handler endpoints and the standalone listeners are built from them.
/// </summary>
public static class FunctionCatalog
{
    /// <summary>The binding name of every queue trigger.</summary>
    public const string QueueTriggerBinding = "message";

    public const string Connection = "AzureWebJobsStorage";

    public static IReadOnlyList<FunctionDefinition> All { get; } =
    [
        Http("Ingress", "ingress/{source}/{tenant}", "post", "options"),
        Http("IacUpload", "iac/{tenant}", "post"),
        Queue("ScanOrchestrator", QueueNames.ScanRequests, QueueNames.LayerScans, QueueNames.ScanAggregate),
        Queue("LayerWorker", QueueNames.LayerScans, QueueNames.ScanAggregate),
        Queue("ScanAggregator", QueueNames.ScanAggregate, QueueNames.Notifications),
        Queue("Notifier", QueueNames.Notifications),
        Queue("IacScanner", QueueNames.IacScans, QueueNames.Notifications),
        Queue("RematchFanOut", QueueNames.DatabaseUpdated, QueueNames.ImageRematch, QueueNames.DatabaseUpdated),
        Queue("ImageRematcher", QueueNames.ImageRematch, QueueNames.Notifications),
        new("IacBlobTrigger",
        [
            new FunctionBinding("upload", "blobTrigger", "in") { Path = Containers.IacUploads + "/{name}", Source = "EventGrid" },
            Output(QueueNames.IacScans),
        ]),
    ];

    public static FunctionDefinition? Find(string name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The output binding name used for a queue (<c>layer-scans</c> → <c>layerScans</c>).</summary>
    public static string OutputBindingName(string queue)
    {
        var parts = queue.Split('-');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private static FunctionDefinition Http(string name, string route, params string[] methods) =>
        new(name,
        [
            new FunctionBinding("req", "httpTrigger", "in") { Route = route, Methods = methods },
            new FunctionBinding("res", "http", "out"),
        ]);

    private static FunctionDefinition Queue(string name, string queue, params string[] outputs) =>
        new(name, [new FunctionBinding(QueueTriggerBinding, "queueTrigger", "in") { QueueName = queue }, .. outputs.Select(Output)]);

    private static FunctionBinding Output(string queue) => new(OutputBindingName(queue), "queue", "out") { QueueName = queue };
}
