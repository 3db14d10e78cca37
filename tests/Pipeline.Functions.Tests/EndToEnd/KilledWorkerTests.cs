using System.Text.RegularExpressions;
using Pipeline.Functions.Ingress;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Storage;
using Pipeline.Functions.Tests.Support;
using Pipeline.TestKit;
using Pipeline.TestKit.Azurite;
using Pipeline.TestKit.Fixtures;
using Pipeline.TestKit.Functions;
using Pipeline.TestKit.Images;
using Pipeline.TestKit.Registry;
using Pipeline.TestKit.Webhooks;

namespace Pipeline.Functions.Tests.EndToEnd;

/// <summary>
/// A layer worker killed mid-layer, on real components: the function app runs as its own OS process (standalone
/// listeners) against Azurite, skopeo pushes a debootstrap image to a docker-registry, and a TCP proxy in front
/// of the registry holds the worker's request for one layer blob, so the kill provably lands while that layer is
/// in work. A second instance takes the message once its lease runs out; the scan must complete exactly once.
/// </summary>
public sealed class KilledWorkerTests : IClassFixture<AzuriteFixture>
{
    private const string Repository = "team/debian";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly AzuriteFixture _azurite;

    public KilledWorkerTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
    }

    [Fact]
    public async Task Worker_KilledMidLayer_SecondInstanceCompletesOneScanWithOneSignedWebhookAndNoPoison()
    {
        var layout = DebianTestImage.Layout;
        var manifest = OciLayout.ReadBlob(layout, OciLayout.Find(layout, "app")["digest"]!.GetValue<string>());
        var layerDigests = manifest["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>()).ToList();
        Assert.Equal(2, layerDigests.Count);
        var slowLayer = layerDigests[0];

        using var receiver = new WebhookReceiver();
        var appPort = FreePort.Next();
        using var registry = new RegistryFixture(
            RegistryAuthMode.Anonymous,
            $"http://127.0.0.1:{appPort}/api/ingress/distribution/{FunctionsApp.Tenant}",
            new Dictionary<string, string> { [IngressAuthenticator.SecretHeader] = FunctionsApp.Secret }).Start();
        using var proxy = new StallingProxy(registry.Port);
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = _azurite.ConnectionString,
            ["Pipeline:HostJsonPath"] = Path.Combine(TestPaths.RepoRoot, "functions", "host.json"),
            ["Pipeline:QueueLease"] = "00:00:03",
            ["Pipeline:DatabaseCacheDirectory"] = TestPaths.NewTempDir("db"),
            [$"Pipeline:Tenants:{FunctionsApp.Tenant}:AllowedRegistries:0"] = proxy.Host,
            [$"Pipeline:Tenants:{FunctionsApp.Tenant}:WebhookSecrets:0"] = FunctionsApp.Secret,
            [$"Pipeline:Tenants:{FunctionsApp.Tenant}:Webhooks:0:Url"] = receiver.Url.ToString(),
            [$"Pipeline:Tenants:{FunctionsApp.Tenant}:Webhooks:0:Secret"] = HandlerExtensions.WebhookSecret,
        };
        var storage = new PipelineStorage(_azurite.ConnectionString);

        using var first = new FunctionAppProcess(FunctionAppProcess.BesideThisAssembly, appPort, settings);
        await first.StartAsync();
        proxy.Stall($"GET /v2/{Repository}/blobs/{slowLayer} ");
        await registry.PushThroughAsync(proxy.Host, layout, "app", Repository);

        // The first instance now waits for the layer's bytes: its message is leased (invisible) and in work.
        await proxy.Stalled.WaitAsync(Patience);
        var layerQueue = storage.Queue(QueueNames.LayerScans);
        Assert.Empty((await layerQueue.PeekMessagesAsync(32)).Value);
        Assert.True((await layerQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount >= 1, "the layer message should be leased by the first instance");
        first.Kill();
        Assert.True(first.HasExited);

        // Killed mid-layer: nothing of the held layer was written, and no report exists yet.
        var state = new ScanStateStore(storage, TimeProvider.System);
        var scanId = Assert.Single(await ScanIdsAsync(storage));
        var plan = (await state.GetPlanAsync(scanId, CancellationToken.None))!;
        var held = Assert.Single(plan.Layers, l => l.Digest == slowLayer);
        Assert.DoesNotContain(held.Index, await state.DoneAsync(scanId, CancellationToken.None));
        Assert.False((await storage.Container(Containers.Layers).GetBlobClient(BlobLayerCache.BlobName(held.CacheKey)).ExistsAsync()).Value);
        Assert.Empty(await ReportBlobsAsync(storage));

        // A second instance at the same address; the message reappears when the dead instance's lease ends.
        proxy.Release();
        using var second = new FunctionAppProcess(FunctionAppProcess.BesideThisAssembly, appPort, settings);
        await second.StartAsync();
        var received = await receiver.WaitForAsync(1, Patience);
        await WaitUntilSettledAsync(storage);

        Assert.Single(receiver.Requests);
        var report = await ScanCompletedEvents.ReadReportAsync(storage, ScanCompletedEvents.Verify(received));
        Assert.Equal(Repository, report.Artifact.Repository);
        Assert.Equal(layerDigests, report.Layers.Select(l => l.Digest));
        Assert.All(report.Layers, l => Assert.Equal("analyzed", l.Status));
        var installed = Tool.Run("dpkg-query", ["--admindir=" + Path.Combine(DebianTestImage.AppRoot, "var/lib/dpkg"), "-W", "-f", "${Package}\n"])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("jq", installed);
        Assert.Empty(installed.Except(report.Packages.Select(p => p.Name)));

        Assert.Single(await ReportBlobsAsync(storage));
        Assert.Single(await ScanIdsAsync(storage));
        var output = first.Output + second.Output;
        Assert.Single(Regex.Matches(output, $"Scan {scanId} reported to"));
        Assert.Single(Regex.Matches(output, $"Scan {scanId}: all 2 layers done; queueing aggregation"));
        Assert.Contains($"Analyzed layer {slowLayer}", second.Output, StringComparison.Ordinal);
        foreach (var queue in QueueNames.All)
        {
            Assert.Empty((await storage.Queue(QueueNames.Poison(queue)).PeekMessagesAsync(32)).Value);
        }
    }

    private static async Task<List<string>> ScanIdsAsync(PipelineStorage storage)
    {
        var ids = new List<string>();
        await foreach (var blob in storage.Container(Containers.Scans).GetBlobsAsync())
        {
            if (blob.Name.EndsWith("/expected.json", StringComparison.Ordinal))
            {
                ids.Add(blob.Name[..blob.Name.IndexOf('/', StringComparison.Ordinal)]);
            }
        }

        return ids;
    }

    private static async Task<List<string>> ReportBlobsAsync(PipelineStorage storage)
    {
        var reports = new List<string>();
        await foreach (var blob in storage.Container(Containers.Reports).GetBlobsAsync())
        {
            if (blob.Name.EndsWith("/report.json", StringComparison.Ordinal))
            {
                reports.Add(blob.Name);
            }
        }

        return reports;
    }

    /// <summary>
    /// Waits until no pipeline queue holds a message, visible or leased: handlers send their output before they
    /// delete their message, so from then on nothing can announce the scan again.
    /// </summary>
    private static async Task WaitUntilSettledAsync(PipelineStorage storage)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var pending = 0;
            foreach (var queue in QueueNames.All)
            {
                pending += (await storage.Queue(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;
            }

            if (pending == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{pending} messages still queued after {Patience}");
            await Task.Delay(100);
        }
    }
}
