using System.Net;
using System.Text.Json;
using Pipeline.Functions.Ingress;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Storage;
using Pipeline.Functions.Tests.Support;
using Pipeline.TestKit.Azurite;

namespace Pipeline.Functions.Tests.Ingress;

public sealed class IacUploadTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private const string Terraform = """
        resource "azurerm_storage_account" "sa" {
          name                            = "demo"
          resource_group_name             = "rg"
          location                        = "westeurope"
          account_tier                    = "Standard"
          account_replication_type        = "LRS"
          min_tls_version                 = "TLS1_0"
          https_traffic_only_enabled      = false
          allow_nested_items_to_be_public = true
        }

        """;
    private readonly FunctionsApp _app;
    private readonly HttpClient _client;

    public IacUploadTests(AzuriteFixture azurite)
    {
        _app = new FunctionsApp(azurite);
        _client = _app.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Upload_WithSecret_StoresBlobAndQueuesScan()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/iac/{FunctionsApp.Tenant}?name=main.tf") { Content = new StringContent(Terraform) };
        request.Headers.Add(IngressAuthenticator.SecretHeader, FunctionsApp.Secret);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var blob = doc.RootElement.GetProperty("blob").GetString()!;
        Assert.StartsWith($"{FunctionsApp.Tenant}/", blob, StringComparison.Ordinal);
        Assert.EndsWith("/main.tf", blob, StringComparison.Ordinal);
        Assert.Equal(Terraform, (await _app.Storage.Container(Containers.IacUploads).GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToString());
        var queued = MessageJson.Read<IacScanRequest>(Assert.Single(await _app.DrainAsync(QueueNames.IacScans)));
        Assert.Equal(blob, queued.Blob);
        Assert.Equal(doc.RootElement.GetProperty("scanId").GetString(), queued.ScanId);
    }

    [Fact]
    public async Task Upload_ThenIacScanner_WritesReportWithMisconfigurations()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/iac/{FunctionsApp.Tenant}?name=main.tf") { Content = new StringContent(Terraform) };
        request.Headers.Add(IngressAuthenticator.SecretHeader, FunctionsApp.Secret);
        Assert.Equal(HttpStatusCode.Accepted, (await _client.SendAsync(request)).StatusCode);
        var queued = MessageJson.Read<IacScanRequest>(Assert.Single(await _app.DrainAsync(QueueNames.IacScans)));

        var result = await _app.HandleAsync(QueueNames.IacScans, queued);

        var blob = $"iac/{FunctionsApp.Tenant}/{queued.ScanId}/report.json";
        var report = (await _app.Storage.Container(Containers.Reports).GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToObjectFromJson<Pipeline.Core.Reports.ScanReport>(Pipeline.Core.PipelineJson.Options)!;
        Assert.Equal("iac", report.Artifact.Type);
        Assert.NotEmpty(report.Misconfigurations);
        Assert.All(report.Misconfigurations, m => Assert.EndsWith("main.tf", m.File, StringComparison.Ordinal));
        Assert.Contains(blob, Assert.Single(result.Logs), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong-secret-wrong-secret", HttpStatusCode.Forbidden)]
    public async Task Upload_WithoutOrWithWrongSecret_Rejected(string? secret, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/iac/{FunctionsApp.Tenant}?name=main.tf") { Content = new StringContent(Terraform) };
        if (secret is not null)
        {
            request.Headers.Add(IngressAuthenticator.SecretHeader, secret);
        }

        var response = await _client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Empty(await _app.DrainAsync(QueueNames.IacScans));
        Assert.Contains("iac-upload", await _app.AuditAsync(), StringComparison.Ordinal);
    }
}
