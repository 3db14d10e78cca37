using Microsoft.Extensions.Options;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Tests.Support;
using Pipeline.TestKit.Azurite;

namespace Pipeline.Functions.Tests.Configuration;

public sealed class PipelineOptionsValidatorTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public PipelineOptionsValidatorTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = new PipelineOptions();
        options.Tenants["acme"] = new TenantOptions { AllowedRegistries = ["acme.azurecr.io"], EventGridKeys = ["0123456789abcdef0123"] };

        Assert.True(new PipelineOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromMinutes(10), options.DedupeWindow);
        Assert.Equal(5, options.Delivery.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMinutes(10), options.QueueLease);
    }

    [Fact]
    public void Validate_BrokenTenant_ReportsEveryProblem()
    {
        var options = new PipelineOptions();
        options.Tenants["Bad_Id"] = new TenantOptions
        {
            AllowedRegistries = ["https://acme.azurecr.io/"],
            WebhookSecrets = ["short"],
            Webhooks = [new WebhookOptions { Url = new Uri("ftp://example.com/"), Secret = "not-whsec" }],
            Policy = "severity: [BOGUS]\n",
        };

        var result = new PipelineOptionsValidator().Validate(null, options);

        Assert.False(result.Succeeded);
        var text = string.Join('\n', result.Failures!);
        Assert.Contains("tenant ids", text, StringComparison.Ordinal);
        Assert.Contains("not URLs", text, StringComparison.Ordinal);
        Assert.Contains("at least 16 characters", text, StringComparison.Ordinal);
        Assert.Contains("absolute http(s) URL", text, StringComparison.Ordinal);
        Assert.Contains("whsec_", text, StringComparison.Ordinal);
        Assert.Contains("BOGUS", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_QueueLeaseUnderOneSecond_Fails()
    {
        var options = new PipelineOptions { QueueLease = TimeSpan.FromMilliseconds(500) };

        var result = new PipelineOptionsValidator().Validate(null, options);

        Assert.Contains("Pipeline:QueueLease", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_InvalidConfiguration_FailsAtStartUp()
    {
        using var app = new FunctionsApp(_azurite, new Dictionary<string, string?> { [$"Pipeline:Tenants:{FunctionsApp.Tenant}:Webhooks:0:Url"] = "not a url" });

        var e = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.IsType<OptionsValidationException>(e is AggregateException a ? a.InnerException : e);
    }
}
