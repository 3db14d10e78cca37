using Pipeline.Iac.Model;
using Pipeline.Iac.Parsing.Terraform;

namespace Pipeline.Infra.Tests.Terraform;

/// <summary>
/// The ARM resource type each azurerm resource type manages, and the ARM child resources some azurerm
/// resources manage inline (which the Bicep declares as resources of their own).
/// </summary>
internal static class AzurermToArm
{
    public static readonly IReadOnlyDictionary<string, string> Types = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["azurerm_user_assigned_identity"] = "Microsoft.ManagedIdentity/userAssignedIdentities",
        ["azurerm_log_analytics_workspace"] = "Microsoft.OperationalInsights/workspaces",
        ["azurerm_application_insights"] = "Microsoft.Insights/components",
        ["azurerm_role_assignment"] = "Microsoft.Authorization/roleAssignments",
        ["azurerm_virtual_network"] = "Microsoft.Network/virtualNetworks",
        ["azurerm_subnet"] = "Microsoft.Network/virtualNetworks/subnets",
        ["azurerm_private_dns_zone"] = "Microsoft.Network/privateDnsZones",
        ["azurerm_private_dns_zone_virtual_network_link"] = "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        ["azurerm_private_endpoint"] = "Microsoft.Network/privateEndpoints",
        ["azurerm_storage_account"] = "Microsoft.Storage/storageAccounts",
        ["azurerm_storage_container"] = "Microsoft.Storage/storageAccounts/blobServices/containers",
        ["azurerm_storage_queue"] = "Microsoft.Storage/storageAccounts/queueServices/queues",
        ["azurerm_monitor_diagnostic_setting"] = "Microsoft.Insights/diagnosticSettings",
        ["azurerm_key_vault"] = "Microsoft.KeyVault/vaults",
        ["azurerm_key_vault_secret"] = "Microsoft.KeyVault/vaults/secrets",
        ["azurerm_service_plan"] = "Microsoft.Web/serverfarms",
        ["azurerm_function_app_flex_consumption"] = "Microsoft.Web/sites",
        ["azurerm_container_app_environment"] = "Microsoft.App/managedEnvironments",
        ["azurerm_container_app"] = "Microsoft.App/containerApps",
        ["azurerm_eventgrid_system_topic"] = "Microsoft.EventGrid/systemTopics",
        ["azurerm_eventgrid_system_topic_event_subscription"] = "Microsoft.EventGrid/systemTopics/eventSubscriptions",
    };

    /// <summary>Child resources an azurerm resource manages inline, as (ARM type, leaf name).</summary>
    public static IEnumerable<(string Type, string Name)> InlineChildren(TfResource instance)
    {
        switch (instance.Type)
        {
            // azurerm_storage_account manages the account's blob and queue service properties itself.
            case "azurerm_storage_account":
                yield return ("Microsoft.Storage/storageAccounts/blobServices", "default");
                yield return ("Microsoft.Storage/storageAccounts/queueServices", "default");
                break;

            // The private_dns_zone_group block is the endpoint's privateDnsZoneGroups child.
            case "azurerm_private_endpoint":
                foreach (var group in instance.Attributes.Get("private_dns_zone_group")?.Items ?? [])
                {
                    yield return ("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", Name(instance, group));
                }

                break;

            // webdeploy_publish_basic_authentication_enabled = false sets the scm policy; Flex Consumption has
            // no FTP publishing at all, which the Bicep states explicitly with an ftp policy set to false.
            case "azurerm_function_app_flex_consumption"
                when instance.Attributes.Get("webdeploy_publish_basic_authentication_enabled")?.TryBool() == false:
                yield return ("Microsoft.Web/sites/basicPublishingCredentialsPolicies", "ftp");
                yield return ("Microsoft.Web/sites/basicPublishingCredentialsPolicies", "scm");
                break;
            default:
                break;
        }
    }

    /// <summary>The evaluated name of <paramref name="instance"/> (or of one of its blocks, <paramref name="body"/>).</summary>
    public static string Name(TfResource instance, DValue? body = null)
    {
        if ((body ?? instance.Attributes).Get("name") is not { } name)
        {
            throw new InvalidOperationException($"{instance.Address} has no name.");
        }

        return name.Kind == DKind.String
            ? name.AsString
            : throw new InvalidOperationException($"{instance.Address}: the name is not known at plan time, so it cannot match the Bicep name.");
    }
}
