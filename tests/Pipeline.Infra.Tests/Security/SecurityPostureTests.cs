using System.Text.Json.Nodes;
using Pipeline.Iac.Parsing.Hcl;
using Pipeline.Infra.Tests.Bicep;
using Pipeline.Infra.Tests.Terraform;

namespace Pipeline.Infra.Tests.Security;

/// <summary>
/// The settings a security scan of our own infrastructure looks at, asserted on the compiled Bicep and on
/// the Terraform attributes, until `pipeline scan iac infra` can run in CI.
/// </summary>
public sealed class SecurityPostureTests
{
    private static readonly Lazy<List<JsonObject>> ArmResources = new(() =>
    {
        var result = new List<JsonObject>();
        Collect(BicepCli.Build(Path.Combine(InfraPaths.Bicep, "main.bicep")), result);
        return result;
    });

    private static readonly Lazy<List<HclBlock>> TerraformResources = new(() =>
        new TerraformConfig(InfraPaths.Terraform).Blocks.Where(b => b.Type == "resource").ToList());

    [Theory]
    [InlineData("Microsoft.Storage/storageAccounts", "allowBlobPublicAccess", "false")]
    [InlineData("Microsoft.Storage/storageAccounts", "allowSharedKeyAccess", "false")]
    [InlineData("Microsoft.Storage/storageAccounts", "minimumTlsVersion", "\"TLS1_2\"")]
    [InlineData("Microsoft.Storage/storageAccounts", "supportsHttpsTrafficOnly", "true")]
    [InlineData("Microsoft.Storage/storageAccounts", "defaultToOAuthAuthentication", "true")]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices/containers", "publicAccess", "\"None\"")]
    [InlineData("Microsoft.KeyVault/vaults", "enablePurgeProtection", "true")]
    [InlineData("Microsoft.KeyVault/vaults", "enableRbacAuthorization", "true")]
    [InlineData("Microsoft.KeyVault/vaults", "softDeleteRetentionInDays", "90")]
    [InlineData("Microsoft.Web/sites", "httpsOnly", "true")]
    [InlineData("Microsoft.Web/sites", "siteConfig.ftpsState", "\"Disabled\"")]
    [InlineData("Microsoft.Web/sites", "siteConfig.minTlsVersion", "\"1.2\"")]
    [InlineData("Microsoft.Web/sites", "siteConfig.remoteDebuggingEnabled", "false")]
    [InlineData("Microsoft.Web/sites/basicPublishingCredentialsPolicies", "allow", "false")]
    [InlineData("Microsoft.Insights/components", "DisableLocalAuth", "true")]
    [InlineData("Microsoft.App/containerApps", "configuration.ingress.allowInsecure", "false")]
    public void Bicep_SecuritySetting_IsSetOnEveryResourceOfItsType(string type, string path, string expected)
    {
        var resources = ArmResources.Value.Where(r => r["type"]!.GetValue<string>() == type).ToList();

        Assert.NotEmpty(resources);
        Assert.All(resources, r =>
        {
            JsonNode? node = r["properties"];
            foreach (var segment in path.Split('.'))
            {
                node = node?[segment];
            }

            Assert.Equal(expected, node?.ToJsonString());
        });
    }

    [Fact]
    public void Bicep_EventSubscription_FiltersPushesRetriesAndDeadLetters()
    {
        var subscription = Assert.Single(ArmResources.Value, r => r["type"]!.GetValue<string>() == "Microsoft.EventGrid/systemTopics/eventSubscriptions");
        var properties = subscription["properties"]!;

        Assert.Equal("[\"Microsoft.ContainerRegistry.ImagePushed\"]", properties["filter"]!["includedEventTypes"]!.ToJsonString());
        Assert.NotNull(properties["retryPolicy"]);
        Assert.NotNull(properties["deadLetterWithResourceIdentity"]);
        Assert.Contains("isSecret", properties["destination"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bicep_EveryLoggableResource_HasDiagnosticSettings()
    {
        var scopes = ArmResources.Value
            .Where(r => r["type"]!.GetValue<string>() == "Microsoft.Insights/diagnosticSettings")
            .Select(r => r["scope"]!.GetValue<string>())
            .ToList();

        foreach (var type in new[] { "blobServices", "queueServices", "Microsoft.KeyVault/vaults", "Microsoft.Web/sites", "Microsoft.App/managedEnvironments" })
        {
            Assert.Contains(scopes, s => s.Contains(type, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("azurerm_storage_account", "allow_nested_items_to_be_public", false)]
    [InlineData("azurerm_storage_account", "shared_access_key_enabled", false)]
    [InlineData("azurerm_storage_account", "min_tls_version", "TLS1_2")]
    [InlineData("azurerm_storage_account", "https_traffic_only_enabled", true)]
    [InlineData("azurerm_storage_container", "container_access_type", "private")]
    [InlineData("azurerm_key_vault", "purge_protection_enabled", true)]
    [InlineData("azurerm_key_vault", "rbac_authorization_enabled", true)]
    [InlineData("azurerm_function_app_flex_consumption", "https_only", true)]
    [InlineData("azurerm_function_app_flex_consumption", "webdeploy_publish_basic_authentication_enabled", false)]
    [InlineData("azurerm_application_insights", "local_authentication_enabled", false)]
    [InlineData("aws_ecr_repository", "image_tag_mutability", "IMMUTABLE")]
    public void Terraform_SecuritySetting_IsWrittenExplicitly(string type, string attribute, object expected)
    {
        var blocks = TerraformResources.Value
            .Concat(new TerraformConfig(Path.Combine(InfraPaths.Terraform, "modules", "aws-ecr-tenant")).Blocks.Where(b => b.Type == "resource"))
            .Where(b => b.Labels[0] == type)
            .ToList();

        Assert.NotEmpty(blocks);
        Assert.All(blocks, b => Assert.Equal(expected, HclFile.Literal(b.Body.Attribute(attribute)?.Expr)));
    }

    private static void Collect(JsonObject template, List<JsonObject> result)
    {
        foreach (var r in template["resources"]!.AsArray().Select(r => r!.AsObject()))
        {
            if (r["type"]!.GetValue<string>() == "Microsoft.Resources/deployments")
            {
                Collect(r["properties"]!["template"]!.AsObject(), result);
            }
            else
            {
                result.Add(r);
            }
        }
    }
}
