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
    private const string Terraform = "resource \"azurerm_storage_account\" \"sa\" {\n  name = \"demo\"\n}\n";
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
