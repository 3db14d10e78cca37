using System.Diagnostics;
using Pipeline.Functions.Ingress;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Tests.Support;
using Pipeline.TestKit;
using Pipeline.TestKit.Azurite;
using Pipeline.TestKit.Images;
using Pipeline.TestKit.Registry;
using Pipeline.TestKit.Webhooks;

namespace Pipeline.Functions.Tests.EndToEnd;

/// <summary>
/// The whole pipeline on real components: skopeo pushes to a real docker-registry, whose notification reaches the
/// ingress over HTTP; the standalone queue listeners on Azurite run orchestrator, layer workers, aggregator and
/// notifier; a real HTTP receiver gets the signed webhook.
/// </summary>
public sealed class PushToWebhookTests : IClassFixture<AzuriteFixture>
{
    private const string DpkgStatus = """
        Package: base-files
        Status: install ok installed
        Priority: required
        Section: admin
        Installed-Size: 340
        Maintainer: Santiago Vila <sanvila@debian.org>
        Architecture: amd64
        Version: 12.4+deb12u5
        Description: Debian base system miscellaneous files

        Package: libc6
        Status: install ok installed
        Priority: optional
        Section: libs
        Installed-Size: 12986
        Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
        Architecture: amd64
        Multi-Arch: same
        Source: glibc
        Version: 2.36-9+deb12u4
        Description: GNU C Library: Shared libraries

        """;

    private readonly AzuriteFixture _azurite;

    public PushToWebhookTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
    }

    [Fact]
    public async Task Push_ThroughRegistryNotification_SignedWebhookReportAndCacheHitsOnSecondImage()
    {
        using var receiver = new WebhookReceiver();
        var appPort = FreePort.Next();
        using var registry = new RegistryFixture(
            RegistryAuthMode.Anonymous,
            $"http://127.0.0.1:{appPort}/api/ingress/distribution/{FunctionsApp.Tenant}",
            new Dictionary<string, string> { [IngressAuthenticator.SecretHeader] = FunctionsApp.Secret }).Start();
        using var app = new FunctionsApp(
            _azurite,
            new Dictionary<string, string?>
            {
                ["Pipeline:RunQueueListeners"] = "true",
                ["Pipeline:HostJsonPath"] = Path.Combine(TestPaths.RepoRoot, "functions", "host.json"),
                ["Pipeline:DatabaseCacheDirectory"] = TestPaths.NewTempDir("db"),
                [$"Pipeline:Tenants:{FunctionsApp.Tenant}:AllowedRegistries:0"] = registry.Host,
                [$"Pipeline:Tenants:{FunctionsApp.Tenant}:Webhooks:0:Url"] = receiver.Url.ToString(),
                [$"Pipeline:Tenants:{FunctionsApp.Tenant}:Webhooks:0:Secret"] = HandlerExtensions.WebhookSecret,
            },
            realTime: true);
        app.UseKestrel(appPort);
        app.StartServer();

        // A message nobody can decode sits in the first queue: it must end in poison without stopping scans.
        var raw = app.RawQueue(QueueNames.ScanRequests);
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync("%%% not base64 %%%");

        var layout = Path.Combine(TestPaths.NewTempDir("e2e"), "layout");
        var image = OciImageBuilder.Create(layout, "1.0").AddLayer(root =>
        {
            Directory.CreateDirectory(Path.Combine(root, "etc"));
            Directory.CreateDirectory(Path.Combine(root, "var/lib/dpkg"));
            File.WriteAllText(Path.Combine(root, "etc/os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n");
            File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), DpkgStatus);
        });

        var clock = Stopwatch.StartNew();
        await registry.PushAsync(layout, "1.0", "team/base");
        var first = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(60));
        var coldSeconds = clock.Elapsed.TotalSeconds;

        var firstEvent = ScanCompletedEvents.Verify(first);
        var firstReport = await ScanCompletedEvents.ReadReportAsync(app.Storage, firstEvent);
        Assert.Equal(["base-files", "libc6"], firstReport.Packages.Select(p => p.Name).Order());
        Assert.Equal("debian", firstReport.Os?.Family);
        Assert.Equal("analyzed", Assert.Single(firstReport.Layers).Status);

        // Same base layer plus one new layer, pushed to another repository.
        image.AddLayer(root => File.WriteAllText(Path.Combine(root, "etc/app.conf"), "port=8080\n"));
        clock.Restart();
        await registry.PushAsync(layout, "1.0", "team/app");
        var second = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(60));
        var warmSeconds = clock.Elapsed.TotalSeconds;

        var secondReport = await ScanCompletedEvents.ReadReportAsync(app.Storage, ScanCompletedEvents.Verify(second));
        Assert.Equal(["cached", "analyzed"], secondReport.Layers.Select(l => l.Status));
        Assert.Equal("team/app", secondReport.Artifact.Repository);
        Assert.Equal(2, receiver.Requests.Count);

        var poison = app.RawQueue(QueueNames.Poison(QueueNames.ScanRequests));
        Assert.Equal("%%% not base64 %%%", Assert.Single((await poison.PeekMessagesAsync(32)).Value).Body.ToString());
        Console.WriteLine($"push-to-webhook: cold {coldSeconds:F1} s, warm {warmSeconds:F1} s");
    }
}
