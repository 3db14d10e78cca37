using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Core.Findings;
using Pipeline.Core.Model;
using Pipeline.Core.Reports;
using Pipeline.Functions.Handlers;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Notifications;
using Pipeline.Functions.Storage;
using Pipeline.Functions.Tests.Support;
using Pipeline.TestKit.Azurite;
using Pipeline.TestKit.Webhooks;

namespace Pipeline.Functions.Tests.Notifications;

public sealed class NotifierTests : IClassFixture<AzuriteFixture>
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a-32-byte-long-test-signing-key!");
    private readonly AzuriteFixture _azurite;

    public NotifierTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
    }

    [Fact]
    public async Task Notify_CloudEvents_SignedPerStandardWebhooksWithVulnerabilityList()
    {
        using var receiver = new WebhookReceiver();
        using var app = App((receiver.Url, "CloudEvents"));
        var request = await WriteReportAsync(app);

        var result = await app.HandleAsync(QueueNames.Notifications, request);

        var got = await receiver.WaitForAsync();
        Assert.Contains("delivered", Assert.Single(result.Logs), StringComparison.Ordinal);
        var id = got.Headers["webhook-id"];
        var timestamp = long.Parse(got.Headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(app.Time.GetUtcNow().ToUnixTimeSeconds(), timestamp);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{got.Body}")));
        Assert.Equal(expected, got.Headers["webhook-signature"]);
        Assert.StartsWith("application/cloudevents+json", got.ContentType, StringComparison.Ordinal);

        using var doc = JsonDocument.Parse(got.Body);
        var root = doc.RootElement;
        Assert.Equal("1.0", root.GetProperty("specversion").GetString());
        Assert.Equal(WebhookPayloads.EventType, root.GetProperty("type").GetString());
        Assert.Equal(id, root.GetProperty("id").GetString());
        var data = root.GetProperty("data");
        Assert.Equal(FunctionsApp.Registry, data.GetProperty("image").GetProperty("registry").GetString());
        Assert.Equal("sha256:" + new string('c', 64), data.GetProperty("image").GetProperty("digest").GetString());
        Assert.Equal("1.0", data.GetProperty("image").GetProperty("tag").GetString());
        Assert.Equal(1, data.GetProperty("counts").GetProperty("critical").GetInt32());
        Assert.Equal(1, data.GetProperty("counts").GetProperty("medium").GetInt32());
        Assert.Equal("fail", data.GetProperty("verdict").GetString());
        var first = data.GetProperty("vulnerabilities")[0];
        Assert.Equal("CVE-2024-0001", first.GetProperty("id").GetString());
        Assert.Equal("openssl", first.GetProperty("package").GetString());
        Assert.Equal("3.0.11-1~deb12u2", first.GetProperty("installedVersion").GetString());
        Assert.Equal("3.0.13-1~deb12u1", first.GetProperty("fixedVersion").GetString());
        Assert.Equal("CRITICAL", first.GetProperty("severity").GetString());
        Assert.Equal(request.ReportBlob, data.GetProperty("report").GetProperty("blob").GetString());
        Assert.True(StandardWebhookSignature.Verify(Key, id, timestamp, got.Body, "v1,bogus " + got.Headers["webhook-signature"]));
    }

    [Fact]
    public async Task Notify_ServerErrors_RetriedWithBackoffOnTheInjectedClock()
    {
        using var receiver = new WebhookReceiver(n => n < 3 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);
        using var app = App((receiver.Url, "CloudEvents"));
        var request = await WriteReportAsync(app);

        var run = app.HandleAsync(QueueNames.Notifications, request);
        await receiver.WaitForAsync(1);
        await Task.Delay(200);
        Assert.Single(receiver.Requests);
        Assert.False(run.IsCompleted);

        var result = await AdvanceUntilAsync(app, run);

        Assert.Equal(3, receiver.Requests.Count);
        Assert.Contains("delivered (3 attempts)", Assert.Single(result.Logs), StringComparison.Ordinal);
        var stamps = receiver.Requests.Select(r => long.Parse(r.Headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(stamps[1] > stamps[0] && stamps[2] > stamps[1], string.Join(",", stamps));
        Assert.Single(receiver.Requests.Select(r => r.Headers["webhook-id"]).Distinct());
    }

    [Fact]
    public async Task Notify_SameScanQueuedTwice_EachEndpointGetsItOnce()
    {
        using var receiver = new WebhookReceiver();
        using var other = new WebhookReceiver();
        using var app = App((receiver.Url, "CloudEvents"));
        var request = await WriteReportAsync(app);

        var first = await app.HandleAsync(QueueNames.Notifications, request);
        var again = await app.HandleAsync(QueueNames.Notifications, request);
        using var widened = App((receiver.Url, "CloudEvents"), (other.Url, "CloudEvents"));
        var third = await widened.HandleAsync(QueueNames.Notifications, request);

        Assert.Single(receiver.Requests);
        Assert.Contains("delivered (1 attempts)", Assert.Single(first.Logs), StringComparison.Ordinal);
        Assert.Contains("already delivered", Assert.Single(again.Logs), StringComparison.Ordinal);
        Assert.Single(other.Requests);
        Assert.Single(third.Logs, l => l.Contains("already delivered", StringComparison.Ordinal));
        Assert.Single(third.Logs, l => l.Contains("delivered (1 attempts)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Notify_Gone_DisablesEndpointAndSkipsItNextTime()
    {
        using var receiver = new WebhookReceiver(_ => HttpStatusCode.Gone);
        using var app = App((receiver.Url, "CloudEvents"));

        var first = await app.HandleAsync(QueueNames.Notifications, await WriteReportAsync(app));
        var second = await app.HandleAsync(QueueNames.Notifications, await WriteReportAsync(app));

        Assert.Single(receiver.Requests);
        Assert.Contains("disabled", Assert.Single(first.Logs), StringComparison.Ordinal);
        Assert.Contains("disabled (0 attempts)", Assert.Single(second.Logs), StringComparison.Ordinal);
        var state = app.Storage.Container(Containers.Webhooks).GetBlobClient($"{FunctionsApp.Tenant}/{WebhookDispatcher.EndpointId(receiver.Url)}.json");
        Assert.Contains("410 Gone", (await state.DownloadContentAsync()).Value.Content.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notify_EveryAttemptFails_DeadLetterWithError()
    {
        using var receiver = new WebhookReceiver(_ => HttpStatusCode.BadGateway);
        using var app = App((receiver.Url, "CloudEvents"));
        var request = await WriteReportAsync(app);

        var result = await AdvanceUntilAsync(app, app.HandleAsync(QueueNames.Notifications, request));

        Assert.Equal(3, receiver.Requests.Count);
        Assert.Contains("dead-lettered", Assert.Single(result.Logs), StringComparison.Ordinal);
        var id = NotifierHandler.WebhookId(request.ScanId, WebhookDispatcher.EndpointId(receiver.Url));
        var letter = app.Storage.Container(Containers.DeadLetters).GetBlobClient($"{FunctionsApp.Tenant}/{app.Time.GetUtcNow():yyyy-MM-dd}/{id}.json");
        var text = (await letter.DownloadContentAsync()).Value.Content.ToString();
        Assert.Contains("HTTP 502", text, StringComparison.Ordinal);
        Assert.Contains(WebhookPayloads.EventType, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notify_OneEndpointFailing_OthersDeliveredWithoutWaiting()
    {
        using var bad = new WebhookReceiver(_ => HttpStatusCode.ServiceUnavailable);
        using var good = new WebhookReceiver();
        using var slack = new WebhookReceiver();
        using var teams = new WebhookReceiver();
        using var app = App((bad.Url, "CloudEvents"), (good.Url, "CloudEvents"), (slack.Url, "Slack"), (teams.Url, "Teams"));
        var request = await WriteReportAsync(app);

        var run = app.HandleAsync(QueueNames.Notifications, request);

        // The clock has not moved: the failing endpoint sits in its first back-off while the others are done.
        await good.WaitForAsync();
        var slackMessage = await slack.WaitForAsync();
        var teamsMessage = await teams.WaitForAsync();
        Assert.False(run.IsCompleted);
        using (var blocks = JsonDocument.Parse(slackMessage.Body))
        {
            Assert.Equal("header", blocks.RootElement.GetProperty("blocks")[0].GetProperty("type").GetString());
            Assert.Contains("CVE-2024-0001", slackMessage.Body, StringComparison.Ordinal);
        }

        using (var card = JsonDocument.Parse(teamsMessage.Body))
        {
            var attachment = card.RootElement.GetProperty("attachments")[0];
            Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
            Assert.Equal("AdaptiveCard", attachment.GetProperty("content").GetProperty("type").GetString());
        }

        var result = await AdvanceUntilAsync(app, run);
        Assert.Equal(3, result.Logs.Count(l => l.Contains("delivered", StringComparison.Ordinal)));
        Assert.Single(result.Logs, l => l.Contains("dead-lettered", StringComparison.Ordinal));
    }

    private static async Task<HandlerResult> AdvanceUntilAsync(FunctionsApp app, Task<HandlerResult> run)
    {
        for (var i = 0; i < 200 && !run.IsCompleted; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(25);
        }

        return await run;
    }

    private FunctionsApp App(params (Uri Url, string Format)[] hooks)
    {
        var settings = new Dictionary<string, string?> { ["Pipeline:Delivery:MaxRetryAttempts"] = "2" };
        for (var i = 0; i < hooks.Length; i++)
        {
            settings[$"Pipeline:Tenants:{FunctionsApp.Tenant}:Webhooks:{i}:Url"] = hooks[i].Url.ToString();
            settings[$"Pipeline:Tenants:{FunctionsApp.Tenant}:Webhooks:{i}:Format"] = hooks[i].Format;
            settings[$"Pipeline:Tenants:{FunctionsApp.Tenant}:Webhooks:{i}:Secret"] = HandlerExtensions.WebhookSecret;
        }

        var app = new FunctionsApp(_azurite, settings);
        _ = app.Services;
        return app;
    }

    private static async Task<NotificationRequest> WriteReportAsync(FunctionsApp app)
    {
        var report = new ScanReport
        {
            CreatedAt = app.Time.GetUtcNow(),
            Artifact = new ArtifactInfo { Name = "app", Registry = FunctionsApp.Registry, Repository = "library/app", Digest = "sha256:" + new string('c', 64), Tag = "1.0", Platform = "linux/amd64" },
            Verdict = "fail",
            Vulnerabilities =
            [
                new VulnerabilityFinding { Id = "CVE-2024-0002", Package = "zlib1g", PackageType = "deb", InstalledVersion = "1:1.2.13.dfsg-1", Severity = Severity.Medium, Status = FixStatus.Affected },
                new VulnerabilityFinding { Id = "CVE-2024-0001", Package = "openssl", PackageType = "deb", InstalledVersion = "3.0.11-1~deb12u2", FixedVersion = "3.0.13-1~deb12u1", Severity = Severity.Critical, Status = FixStatus.Fixed },
            ],
        };
        var blob = $"{FunctionsApp.Registry}/library/app/{report.Artifact.Digest}/{Guid.NewGuid():N}/report.json";
        await app.Storage.Container(Containers.Reports).GetBlobClient(blob).UploadAsync(BinaryData.FromObjectAsJson(report, Pipeline.Core.PipelineJson.Options), overwrite: true);
        return new NotificationRequest { ScanId = Guid.NewGuid().ToString("N"), Tenant = FunctionsApp.Tenant, ReportBlob = blob };
    }
}
