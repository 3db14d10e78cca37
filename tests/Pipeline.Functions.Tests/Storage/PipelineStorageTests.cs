using Microsoft.Extensions.Configuration;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.Tests.Storage;

public sealed class PipelineStorageTests
{
    [Fact]
    public void FromConfiguration_IdentityBasedAccountName_UsesAccountEndpoints()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:accountName"] = "stpipelineacme",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        }).Build();

        var storage = PipelineStorage.FromConfiguration(configuration);

        Assert.Equal(new Uri("https://stpipelineacme.blob.core.windows.net/"), storage.Blobs.Uri);
        Assert.Equal("https://stpipelineacme.queue.core.windows.net/scan-requests", storage.Queue("scan-requests").Uri.ToString());
    }

    [Fact]
    public void FromConfiguration_Nothing_ThrowsNamingTheSettings()
    {
        var e = Assert.Throws<InvalidOperationException>(() => PipelineStorage.FromConfiguration(new ConfigurationBuilder().Build()));

        Assert.Contains("AzureWebJobsStorage__accountName", e.Message, StringComparison.Ordinal);
    }
}
