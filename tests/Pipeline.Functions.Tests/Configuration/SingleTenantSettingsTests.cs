using Microsoft.Extensions.Configuration;
using Pipeline.Functions.Configuration;

namespace Pipeline.Functions.Tests.Configuration;

public sealed class SingleTenantSettingsTests
{
    private static PipelineOptions Apply(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new PipelineOptions();
        configuration.GetSection(PipelineOptions.Section).Bind(options);
        SingleTenantSettings.Apply(options, configuration);
        return options;
    }

    [Fact]
    public void Apply_InfraSettings_BecomeOneTenant()
    {
        // The names infra/bicep/main.bicep and infra/terraform/app.tf set (double underscores become ':').
        var options = Apply(new()
        {
            ["Pipeline:Tenant"] = "contoso",
            ["Pipeline:Ingress:Secret"] = "s3cret-value",
            ["Pipeline:Ingress:SecretHeader"] = "X-Pipeline-Ingress-Secret",
            ["Pipeline:Ingress:Auth"] = "secret",
            ["Pipeline:Ingress:AllowedRegistries"] = "contosoacr.azurecr.io,123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        });

        var tenant = options.Tenants["contoso"];
        Assert.Equal(["contosoacr.azurecr.io", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"], tenant.AllowedRegistries);
        Assert.Equal(["s3cret-value"], tenant.EventGridKeys);
        Assert.Equal(["s3cret-value"], tenant.WebhookSecrets);
        Assert.Equal("X-Pipeline-Ingress-Secret", tenant.EventGridSecretHeader);
        Assert.Null(tenant.Entra);
    }

    [Fact]
    public void Apply_EntraAuth_ValidatesAgainstTheDirectorysKeys()
    {
        var options = Apply(new()
        {
            ["Pipeline:Tenant"] = "fabrikam",
            ["Pipeline:Ingress:Auth"] = "entra",
            ["Pipeline:Ingress:EntraAudience"] = "api://pipeline-fabrikam",
            ["Pipeline:Ingress:EntraTenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
        });

        var entra = options.Tenants["fabrikam"].Entra!;
        Assert.Equal("api://pipeline-fabrikam", entra.Audience);
        Assert.Equal("https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0", entra.Issuer);
        Assert.Equal("https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/discovery/v2.0/keys", entra.JwksUri!.ToString());
    }

    [Fact]
    public void Apply_NoTenantSetting_ChangesNothing()
    {
        var options = Apply(new() { ["Pipeline:Ingress:Secret"] = "x" });

        Assert.Empty(options.Tenants);
    }
}
