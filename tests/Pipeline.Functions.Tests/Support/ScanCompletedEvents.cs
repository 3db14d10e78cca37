using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Core;
using Pipeline.Core.Reports;
using Pipeline.Functions.Notifications;
using Pipeline.Functions.Storage;
using Pipeline.TestKit.Webhooks;

namespace Pipeline.Functions.Tests.Support;

/// <summary>What end-to-end tests check of a received <c>scan.completed</c> webhook and the report it points at.</summary>
internal static class ScanCompletedEvents
{
    /// <summary>The key behind <see cref="HandlerExtensions.WebhookSecret"/>.</summary>
    private static readonly byte[] SigningKey = Encoding.UTF8.GetBytes("a-32-byte-long-test-signing-key!");

    /// <summary>Verifies the Standard Webhooks signature and a fresh timestamp; returns the event's <c>data</c>.</summary>
    public static JsonElement Verify(WebhookReceiver.Received received)
    {
        var id = received.Headers["webhook-id"];
        var timestamp = long.Parse(received.Headers["webhook-timestamp"], CultureInfo.InvariantCulture);
        Assert.True(StandardWebhookSignature.Verify(SigningKey, id, timestamp, received.Body, received.Headers["webhook-signature"]));
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, 0, 300);
        using var doc = JsonDocument.Parse(received.Body);
        Assert.Equal(WebhookPayloads.EventType, doc.RootElement.GetProperty("type").GetString());
        return doc.RootElement.GetProperty("data").Clone();
    }

    /// <summary>Reads the report an event names, checking that its SARIF and SBOM siblings exist.</summary>
    public static async Task<ScanReport> ReadReportAsync(PipelineStorage storage, JsonElement data)
    {
        var reports = storage.Container(Containers.Reports);
        var blob = data.GetProperty("report").GetProperty("blob").GetString()!;
        var content = await reports.GetBlobClient(blob).DownloadContentAsync();
        Assert.True((await reports.GetBlobClient(blob.Replace("report.json", "sbom.cdx.json", StringComparison.Ordinal)).ExistsAsync()).Value);
        Assert.True((await reports.GetBlobClient(blob.Replace("report.json", "report.sarif", StringComparison.Ordinal)).ExistsAsync()).Value);
        return content.Value.Content.ToObjectFromJson<ScanReport>(PipelineJson.Options)!;
    }
}
