using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Core;
using Pipeline.Core.Reports;
using Pipeline.Functions.Engine;
using Pipeline.Functions.Handlers;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Notifications;
using Pipeline.Functions.Storage;
using Pipeline.Functions.Tests.Support;
using Pipeline.TestKit;
using Pipeline.TestKit.Azurite;
using Pipeline.TestKit.Webhooks;

namespace Pipeline.Functions.Tests.Handlers;

/// <summary>
/// Re-matching stored images when a vulnerability database is published, on a real Azurite of its own per test
/// (the database pointer and the fan-out span the whole account) with real databases compiled from
/// testdata/rematch: scan with version 1, publish version 2, and only what changed is written and announced.
/// </summary>
public sealed class RematchTests : IAsyncLifetime
{
    private const string Zlib = "DEBIAN-CVE-2023-45853";
    private const string OsRelease = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n";

    private const string BaseFiles = """
        Package: base-files
        Status: install ok installed
        Priority: required
        Architecture: amd64
        Version: 12.4+deb12u5
        Description: Debian base system miscellaneous files

        """;

    private const string ZlibAndLibc = """
        Package: zlib1g
        Status: install ok installed
        Priority: optional
        Architecture: amd64
        Multi-Arch: same
        Source: zlib
        Version: 1:1.2.13.dfsg-1
        Description: compression library - runtime

        Package: libc6
        Status: install ok installed
        Priority: optional
        Architecture: amd64
        Multi-Arch: same
        Source: glibc
        Version: 2.36-9+deb12u4
        Description: GNU C Library: Shared libraries

        """;

    private static readonly byte[] SigningKey = Encoding.UTF8.GetBytes("a-32-byte-long-test-signing-key!");

    private readonly AzuriteFixture _azurite = new();
    private readonly TestRegistry _registry = new();
    private readonly WebhookReceiver _receiver = new();
    private readonly string _work = TestPaths.NewTempDir("rematch");
    private FunctionsApp _app = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();

        // Two blobs per page: the fan-out continues over several db-updated messages in every test.
        _app = new FunctionsApp(
            _azurite,
            new Dictionary<string, string?>
            {
                ["Pipeline:DatabaseCacheDirectory"] = Path.Combine(_work, "cache"),
                ["Pipeline:RematchListPageSize"] = "2",
                [$"Pipeline:Tenants:{FunctionsApp.Tenant}:Webhooks:0:Url"] = _receiver.Url.ToString(),
                [$"Pipeline:Tenants:{FunctionsApp.Tenant}:Webhooks:0:Secret"] = HandlerExtensions.WebhookSecret,
            },
            services => services.Replace(ServiceDescriptor.Singleton<IImageSourceProvider>(_registry)));
        await _app.Storage.EnsureCreatedAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _receiver.Dispose();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task Publish_AdvisoryForInstalledPackage_OneSignedNewVulnerabilitiesWebhookAndReportRewritten()
    {
        await PublishAsync("v1", "base");
        var digest = await ScanAsync("library/app", ZlibAndLibc);
        var before = await ReportAsync("library/app", digest);
        Assert.Empty(before.Vulnerabilities);
        var pulls = _registry.BlobOpens;

        var v2 = await PublishAsync("v2", "base", "zlib");
        await _app.PumpAsync();

        var received = Assert.Single(Announcements());
        var id = received.Headers["webhook-id"];
        var timestamp = long.Parse(received.Headers["webhook-timestamp"], CultureInfo.InvariantCulture);
        Assert.Equal("v1," + Convert.ToBase64String(HMACSHA256.HashData(SigningKey, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{received.Body}"))), received.Headers["webhook-signature"]);
        using var json = JsonDocument.Parse(received.Body);
        var data = json.RootElement.GetProperty("data");
        Assert.Equal(id, json.RootElement.GetProperty("id").GetString());
        Assert.Equal(digest, data.GetProperty("image").GetProperty("digest").GetString());
        Assert.Equal(v2, data.GetProperty("database").GetProperty("version").GetString());
        var listed = Assert.Single(data.GetProperty("vulnerabilities").EnumerateArray());
        Assert.Equal(Zlib, listed.GetProperty("id").GetString());
        Assert.Equal("zlib1g", listed.GetProperty("package").GetString());
        Assert.Equal("1:1.2.13.dfsg-1", listed.GetProperty("installedVersion").GetString());
        Assert.Equal("CRITICAL", listed.GetProperty("severity").GetString());
        Assert.Equal(1, data.GetProperty("counts").GetProperty("critical").GetInt32());
        Assert.Equal(1, data.GetProperty("findings").GetProperty("new").GetInt32());
        Assert.Equal("fail", data.GetProperty("verdict").GetString());

        var after = await ReportAsync("library/app", digest);
        Assert.Equal([(Zlib, "zlib1g")], after.Vulnerabilities.Select(v => (v.Id, v.Package)));
        Assert.Equal(before.Packages.Select(p => p.Name), after.Packages.Select(p => p.Name));
        Assert.Contains(Zlib, await BlobTextAsync("library/app", digest, "report.sarif"), StringComparison.Ordinal);
        Assert.Contains(Zlib, await BlobTextAsync("library/app", digest, "sbom.cdx.json"), StringComparison.Ordinal);
        Assert.Equal(pulls, _registry.BlobOpens);
    }

    [Fact]
    public async Task Publish_SameVersionAgainThenVersionChangingNoFinding_NoFurtherWebhookAndReportUntouched()
    {
        await PublishAsync("v1", "base");
        var digest = await ScanAsync("library/app", ZlibAndLibc);
        await PublishAsync("v2", "base", "zlib");
        await _app.PumpAsync();
        Assert.Single(Announcements());
        var report = _app.Storage.Container(Containers.Reports).GetBlobClient(ReportStore.Prefix(FunctionsApp.Registry, "library/app", digest) + ReportStore.ReportFile);
        var etag = (await report.GetPropertiesAsync()).Value.ETag;

        await PublishAsync("v2", "base", "zlib");
        var again = await _app.PumpAsync();
        await PublishAsync("v3", "base", "zlib", "glibc");
        var v3 = await _app.PumpAsync();

        Assert.Single(Announcements());
        Assert.Contains(again, l => l.Contains("already re-matched", StringComparison.Ordinal));
        Assert.Contains(v3, l => l.Contains("0 new, 0 resolved, report unchanged", StringComparison.Ordinal));
        Assert.Equal(etag, (await report.GetPropertiesAsync()).Value.ETag);
    }

    [Fact]
    public async Task Publish_ImageWithoutTheAffectedPackage_NoWebhookForIt()
    {
        await PublishAsync("v1", "base");
        var affected = await ScanAsync("library/app", ZlibAndLibc);
        var untouched = await ScanAsync("library/plain", BaseFiles);

        await PublishAsync("v2", "base", "zlib");
        var logs = await _app.PumpAsync();

        var received = Assert.Single(Announcements());
        using var json = JsonDocument.Parse(received.Body);
        Assert.Equal(affected, json.RootElement.GetProperty("data").GetProperty("image").GetProperty("digest").GetString());
        Assert.Empty((await ReportAsync("library/plain", untouched)).Vulnerabilities);
        Assert.Contains(logs, l => l.Contains($"library/plain/{untouched}/report.json against", StringComparison.Ordinal) && l.Contains("0 new", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publish_MalformedStoredInventories_SkippedWithReasonAndOthersStillRematched()
    {
        await PublishAsync("v1", "base");
        var digest = await ScanAsync("library/app", ZlibAndLibc);
        var reports = _app.Storage.Container(Containers.Reports);
        var garbage = $"{FunctionsApp.Registry}/library/broken/sha256:{new string('0', 64)}/inventory.json";
        var empty = $"{FunctionsApp.Registry}/library/hollow/sha256:{new string('1', 64)}/inventory.json";
        await reports.GetBlobClient(garbage).UploadAsync(BinaryData.FromString("{ \"schemaVersion\": 1, \"merged\": "), overwrite: true);
        await reports.GetBlobClient(empty).UploadAsync(BinaryData.FromString("""{ "schemaVersion": 1, "scanId": "x", "name": "n", "image": null, "resolved": null, "merged": null, "layers": null }"""), overwrite: true);

        await PublishAsync("v2", "base", "zlib");
        var logs = await _app.PumpAsync();

        Assert.Contains(logs, l => l.Contains("skipped " + garbage, StringComparison.Ordinal) && l.Contains("is not an inventory", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("skipped " + empty, StringComparison.Ordinal) && l.Contains("is null", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(Assert.Single(Announcements()).Body);
        Assert.Equal(digest, json.RootElement.GetProperty("data").GetProperty("image").GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Rematch_RedeliveredAfterItsFirstAttempt_AnnouncesTheRecordedFindingsAgainUnderOneId()
    {
        await PublishAsync("v1", "base");
        var digest = await ScanAsync("library/app", ZlibAndLibc);
        var v2 = await PublishAsync("v2", "base", "zlib");
        await _app.DrainAsync(QueueNames.DatabaseUpdated);
        var request = new RematchRequest { Version = v2, Inventory = ReportStore.Prefix(FunctionsApp.Registry, "library/app", digest) + ReportStore.InventoryFile };
        var handler = _app.Handler(QueueNames.ImageRematch);
        var body = OutgoingMessage.Create(QueueNames.ImageRematch, request).Body;

        var first = await handler.HandleAsync(body, new MessageContext("m1", 1, null));
        var duplicate = await handler.HandleAsync(body, new MessageContext("m2", 1, null));
        var redelivered = await handler.HandleAsync(body, new MessageContext("m1", 2, null));

        var announced = Assert.Single(first.Messages<NotificationRequest>(QueueNames.Notifications));
        Assert.Empty(duplicate.Messages);
        Assert.Equal(announced with { EnqueuedAt = default, TraceParent = null }, Assert.Single(redelivered.Messages<NotificationRequest>(QueueNames.Notifications)) with { EnqueuedAt = default, TraceParent = null });
        var outcome = await _app.Services.GetRequiredService<ScanStateStore>().GetRematchAsync(announced.ChangeBlob!, default);
        Assert.Equal([Zlib], outcome!.New.Select(v => v.Id));
    }

    [Fact]
    public async Task FanOut_VersionNoLongerCurrent_QueuesNothing()
    {
        var v1 = await PublishAsync("v1", "base");
        await ScanAsync("library/app", ZlibAndLibc);
        await PublishAsync("v2", "base", "zlib");

        var result = await _app.HandleAsync(QueueNames.DatabaseUpdated, new DatabaseUpdated { Version = v1 });

        Assert.Empty(result.Messages);
        Assert.Contains("no longer current", Assert.Single(result.Logs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FanOut_MoreInventoriesThanOnePage_EveryStoredImageQueuedOnce()
    {
        await PublishAsync("v1", "base");
        var digests = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            digests.Add(await ScanAsync($"library/many{i}", BaseFiles + $"\nPackage: extra{i}\nStatus: install ok installed\nArchitecture: all\nVersion: 1.0-{i}\nDescription: x\n\n"));
        }

        var v2 = await PublishAsync("v2", "base", "zlib");
        var requests = new List<RematchRequest>();
        var pages = 0;
        for (var page = new DatabaseUpdated { Version = v2 }; page is not null; pages++)
        {
            var result = await _app.HandleAsync(QueueNames.DatabaseUpdated, page);
            requests.AddRange(result.Messages<RematchRequest>(QueueNames.ImageRematch));
            page = result.Messages<DatabaseUpdated>(QueueNames.DatabaseUpdated).SingleOrDefault();
        }

        Assert.True(pages > 1, $"{pages} page(s)");
        Assert.Equal(digests.Order(), requests.Select(r => r.Inventory.Split('/')[^2]).Order());
        Assert.All(requests, r => Assert.Equal(v2, r.Version));
    }

    [Fact]
    public async Task Publish_StandaloneListenersRunning_NewVulnerabilitiesWebhookArrivesWithoutAPull()
    {
        using var running = new FunctionsApp(
            _azurite,
            new Dictionary<string, string?>
            {
                ["Pipeline:RunQueueListeners"] = "true",
                ["Pipeline:HostJsonPath"] = Path.Combine(TestPaths.RepoRoot, "functions", "host.json"),
                ["Pipeline:DatabaseCacheDirectory"] = Path.Combine(_work, "listeners"),
                [$"Pipeline:Tenants:{FunctionsApp.Tenant}:Webhooks:0:Url"] = _receiver.Url.ToString(),
                [$"Pipeline:Tenants:{FunctionsApp.Tenant}:Webhooks:0:Secret"] = HandlerExtensions.WebhookSecret,
            },
            services => services.Replace(ServiceDescriptor.Singleton<IImageSourceProvider>(_registry)),
            realTime: true);
        var databases = running.Services.GetRequiredService<VulnerabilityDbStore>();
        await databases.PublishAsync(TestDatabases.Build(_work, "v1", "base"), default);
        var digest = _registry.Add(FunctionsApp.Registry, "library/app", [Layer(ZlibAndLibc)]);
        await running.Storage.SendAsync([OutgoingMessage.Create(QueueNames.ScanRequests, Push("library/app", digest, running.Time.GetUtcNow()))]);
        var completed = await _receiver.WaitForAsync(1, TimeSpan.FromSeconds(60));
        Assert.Contains(WebhookPayloads.EventType, completed.Body, StringComparison.Ordinal);
        var pulls = _registry.BlobOpens;

        var v2 = await databases.PublishAsync(TestDatabases.Build(_work, "v2", "base", "zlib"), default);

        using var json = JsonDocument.Parse((await _receiver.WaitForAsync(2, TimeSpan.FromSeconds(60))).Body);
        Assert.Equal(WebhookPayloads.NewVulnerabilitiesEventType, json.RootElement.GetProperty("type").GetString());
        Assert.Equal(v2.Version, json.RootElement.GetProperty("data").GetProperty("database").GetProperty("version").GetString());
        Assert.Equal([Zlib], json.RootElement.GetProperty("data").GetProperty("vulnerabilities").EnumerateArray().Select(v => v.GetProperty("id").GetString()));
        Assert.Equal(pulls, _registry.BlobOpens);
    }

    private IEnumerable<WebhookReceiver.Received> Announcements() =>
        _receiver.Requests.Where(r => r.Body.Contains(WebhookPayloads.NewVulnerabilitiesEventType, StringComparison.Ordinal));

    /// <summary>Compiles the named testdata/rematch folders into a database and publishes it; returns its version.</summary>
    [Fact]
    public async Task Publish_FileThatIsNoDatabase_IsRefusedWithTheReasonAndNothingIsPublished()
    {
        var bogus = Path.Combine(_work, "not-a.db");
        await File.WriteAllTextAsync(bogus, "this is not a SQLite database");
        var store = _app.Services.GetRequiredService<VulnerabilityDbStore>();

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => store.PublishAsync(bogus, default));

        Assert.Contains("not-a.db", e.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetPointerAsync(default));
        Assert.Empty(await _app.Storage.RawQueues.GetQueueClient(QueueNames.DatabaseUpdated).PeekMessagesAsync(maxMessages: 1).ContinueWith(t => t.Result.Value));
    }

    private async Task<string> PublishAsync(string name, params string[] sources) =>
        (await _app.Services.GetRequiredService<VulnerabilityDbStore>().PublishAsync(TestDatabases.Build(_work, name, sources), default)).Version;

    /// <summary>Pushes a one-layer Debian image with this dpkg status through the whole pipeline; returns its digest.</summary>
    private async Task<string> ScanAsync(string repository, string dpkgStatus)
    {
        var digest = _registry.Add(FunctionsApp.Registry, repository, [Layer(dpkgStatus)]);
        await _app.Storage.SendAsync([OutgoingMessage.Create(QueueNames.ScanRequests, Push(repository, digest, _app.Time.GetUtcNow()))]);
        await _app.PumpAsync();
        return digest;
    }

    private static TestLayer Layer(string dpkgStatus) =>
        TestLayer.Build(new Dictionary<string, string> { ["etc/os-release"] = OsRelease, ["var/lib/dpkg/status"] = dpkgStatus });

    private static ImagePushed Push(string repository, string digest, DateTimeOffset receivedAt) =>
        new() { Registry = FunctionsApp.Registry, Repository = repository, Digest = digest, Tag = "1.0", Source = "distribution", Tenant = FunctionsApp.Tenant, ReceivedAt = receivedAt };

    private async Task<ScanReport> ReportAsync(string repository, string digest) =>
        JsonSerializer.Deserialize<ScanReport>(await BlobTextAsync(repository, digest, ReportStore.ReportFile), PipelineJson.Options)!;

    private async Task<string> BlobTextAsync(string repository, string digest, string file) =>
        (await _app.Storage.Container(Containers.Reports).GetBlobClient(ReportStore.Prefix(FunctionsApp.Registry, repository, digest) + file).DownloadContentAsync()).Value.Content.ToString();
}
