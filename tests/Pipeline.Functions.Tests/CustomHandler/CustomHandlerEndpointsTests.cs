using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Functions.CustomHandler;
using Pipeline.Functions.Engine;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Tests.Support;
using Pipeline.TestKit;
using Pipeline.TestKit.Azurite;

namespace Pipeline.Functions.Tests.CustomHandler;

public sealed class CustomHandlerEndpointsTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TestRegistry _registry = new();
    private readonly FunctionsApp _app;
    private readonly HttpClient _client;

    public CustomHandlerEndpointsTests(AzuriteFixture azurite)
    {
        _app = new FunctionsApp(azurite, services: s => s.Replace(ServiceDescriptor.Singleton<IImageSourceProvider>(_registry)));
        _client = _app.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Post_QueueTriggerInvocation_ReturnsArrayOutputPerQueue()
    {
        var layers = new[] { "a", "b", "c" }.Select(n => TestLayer.Build(new Dictionary<string, string> { [$"{n}/{Guid.NewGuid():N}"] = n })).ToList();
        var digest = _registry.Add(FunctionsApp.Registry, "library/ch", layers);
        var push = OutgoingMessage.Create(QueueNames.ScanRequests, new ImagePushed { Registry = FunctionsApp.Registry, Repository = "library/ch", Digest = digest, Source = "distribution", Tenant = FunctionsApp.Tenant, ReceivedAt = _app.Time.GetUtcNow() }).Body;

        // Exactly what the host sends: the queue message as a JSON string holding JSON, plus trigger metadata.
        var invocation = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = push },
            ["Metadata"] = new JsonObject
            {
                ["DequeueCount"] = 1,
                ["ExpirationTime"] = "2026-11-30T09:00:00+00:00",
                ["Id"] = "800ae4b3-bdd2-4c08-badd-f08e5a34b865",
                ["InsertionTime"] = "2026-11-23T09:00:00+00:00",
                ["NextVisibleTime"] = "2026-11-23T09:10:00+00:00",
                ["PopReceipt"] = "AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
                ["sys"] = new JsonObject { ["MethodName"] = "ScanOrchestrator", ["UtcNow"] = "2026-11-23T09:00:00Z", ["RandGuid"] = Guid.NewGuid().ToString() },
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ScanOrchestrator") { Content = FunctionsApp.Json(invocation.ToJsonString()) };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var outputs = doc.RootElement.GetProperty("Outputs");
        var layerMessages = outputs.GetProperty("layerScans").EnumerateArray().Select(e => MessageJson.Read<LayerScanRequest>(e.GetString()!)).ToList();
        Assert.Equal(3, layerMessages.Count);
        Assert.Equal(layers.Select(l => l.Descriptor.Digest), layerMessages.OrderBy(m => m.Index).Select(m => m.LayerDigest));
        Assert.False(outputs.TryGetProperty("scanAggregate", out _));
        Assert.NotEmpty(doc.RootElement.GetProperty("Logs").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("ReturnValue").ValueKind);
    }

    [Fact]
    public async Task Post_HandlerFails_500SoTheHostRetries()
    {
        var invocation = """{"Data":{"message":"{\"scanId\":\"missing\",\"tenant\":\"acme\",\"reportBlob\":\"nope/report.json\"}"},"Metadata":{"DequeueCount":2}}""";
        using var content = FunctionsApp.Json(invocation);

        var response = await _client.PostAsync("/ScanAggregator", content);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("ScanAggregator failed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_BlobTrigger_QueuesIacScanForTheTenantFolder()
    {
        var invocation = """{"Data":{"upload":"cmVzb3VyY2Ug"},"Metadata":{"name":"acme/2026/main.tf","Uri":"http://127.0.0.1/devstoreaccount1/iac-uploads/acme/2026/main.tf"}}""";
        using var content = FunctionsApp.Json(invocation);

        var response = await _client.PostAsync("/IacBlobTrigger", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = MessageJson.Read<IacScanRequest>(doc.RootElement.GetProperty("Outputs").GetProperty("iacScans")[0].GetString()!);
        Assert.Equal("acme", message.Tenant);
        Assert.Equal("acme/2026/main.tf", message.Blob);
    }

    [Fact]
    public async Task FunctionJson_EveryFolder_MatchesCatalogAndAnEndpointAnswers()
    {
        var folders = Directory.GetDirectories(Path.Combine(TestPaths.RepoRoot, "functions"))
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .ToList();
        Assert.Equal(FunctionCatalog.All.Select(f => f.Name).Order(), folders.Select(Path.GetFileName).Order());

        foreach (var folder in folders)
        {
            var name = Path.GetFileName(folder)!;
            var definition = FunctionCatalog.Find(name)!;
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "function.json")));
            var bindings = doc.RootElement.GetProperty("bindings").EnumerateArray().ToList();
            Assert.Equal(definition.Bindings.Count, bindings.Count);
            foreach (var (expected, actual) in definition.Bindings.Zip(bindings))
            {
                Assert.Equal(expected.Name, actual.GetProperty("name").GetString());
                Assert.Equal(expected.Type, actual.GetProperty("type").GetString());
                Assert.Equal(expected.Direction, actual.GetProperty("direction").GetString());
                Assert.Equal(expected.QueueName, actual.TryGetProperty("queueName", out var q) ? q.GetString() : null);
                Assert.Equal(expected.Path, actual.TryGetProperty("path", out var p) ? p.GetString() : null);
                Assert.Equal(expected.Route, actual.TryGetProperty("route", out var r) ? r.GetString() : null);
                if (expected.Type is "queue" or "queueTrigger" or "blobTrigger")
                {
                    Assert.Equal(FunctionCatalog.Connection, actual.GetProperty("connection").GetString());
                }
            }

            // The route (forwarded HTTP) or /{Name} (invocation) must reach the app, not fall through to 404/405.
            var trigger = definition.Trigger;
            var path = trigger.Type == "httpTrigger" ? "/api/" + trigger.Route!.Replace("{source}", "distribution", StringComparison.Ordinal).Replace("{tenant}", "nobody", StringComparison.Ordinal) : "/" + name;
            using var content = FunctionsApp.Json("{}");
            var response = await _client.PostAsync(path, content);
            Assert.True(response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed), $"{name}: POST {path} answered {response.StatusCode}");
        }
    }

    [Fact]
    public async Task HostJson_DeclaresCustomHandlerWithForwardingAndBundle()
    {
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.RepoRoot, "functions", "host.json")));
        var root = doc.RootElement;
        Assert.Equal("[4.*, 5.0.0)", root.GetProperty("extensionBundle").GetProperty("version").GetString());
        Assert.True(root.GetProperty("customHandler").GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("Pipeline.Functions", root.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString());

        var ready = await _client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
