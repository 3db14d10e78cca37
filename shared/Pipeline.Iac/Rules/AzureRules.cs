using Pipeline.Core.Model;
using Pipeline.Iac.Model;
using static Pipeline.Iac.Rules.Hits;

namespace Pipeline.Iac.Rules;

/// <summary>Azure rules, one section per service.</summary>
internal static class AzureRules
{
    private static Rule R(string id, string service, string kind, Severity severity, string title, string description, string remediation,
        Func<ModelResource, IEnumerable<RuleHit>> check, string? defaultNote = null, string[]? aliases = null) =>
        Rule.Define("azure", id, service, kind, severity, title, description, remediation, check, defaultNote, aliases);

    /// <summary>TLS versions below 1.2 in the spellings each service uses (TLS1_0, 1.0, Tls10).</summary>
    internal static bool WeakTls(string v)
    {
        var n = v.ToUpperInvariant().Replace("TLS", string.Empty, StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal).Trim('.', ' ');
        return n is "1.0" or "1.1" or "10" or "11" or "1" or "NONE" or "";
    }

    public static IEnumerable<Rule> All()
    {
        // ---------------------------------------------------------------- Storage
        yield return R("AZ-STORAGE-001", "storage", Kinds.StorageAccount, Severity.High, "Storage account accepts TLS below 1.2",
            "Clients may connect with TLS 1.0 or 1.1, which have known weaknesses.", "Set the minimum TLS version to TLS1_2.",
            r => WhenString(r, "minTls", WeakTls, $"Storage account {r.Address} accepts {r.Str("minTls").Value}"),
            defaultNote: "ARM: minimumTlsVersion's default interpretation is TLS 1.0; azurerm 3.0+ defaults min_tls_version to TLS1_2.",
            aliases: ["AVD-AZU-0011", "CKV_AZURE_44", "azure-storage-use-secure-tls-policy"]);
        yield return R("AZ-STORAGE-002", "storage", Kinds.StorageAccount, Severity.High, "Storage account allows public blob access",
            "Containers in the account may be made anonymously readable.", "Set allowBlobPublicAccess / allow_nested_items_to_be_public to false.",
            r => WhenTrue(r, "allowBlobPublicAccess", $"Storage account {r.Address} allows anonymous blob access"),
            defaultNote: "azurerm defaults allow_nested_items_to_be_public to true; ARM API versions before 2023-01-01 interpret a missing allowBlobPublicAccess as true.",
            aliases: ["CKV_AZURE_190", "CKV_AZURE_59"]);
        yield return R("AZ-STORAGE-003", "storage", Kinds.StorageAccount, Severity.High, "Storage account allows HTTP",
            "Requests over plain HTTP are accepted.", "Set supportsHttpsTrafficOnly / https_traffic_only_enabled to true.",
            r => WhenFalse(r, "httpsOnly", $"Storage account {r.Address} accepts unencrypted HTTP"),
            defaultNote: "ARM: supportsHttpsTrafficOnly defaults to true since API 2019-04-01 and to false before it.",
            aliases: ["AVD-AZU-0008", "CKV_AZURE_3", "azure-storage-enforce-https"]);
        yield return R("AZ-STORAGE-004", "storage", Kinds.StorageAccount, Severity.Medium, "Storage account allows shared key access",
            "Account keys grant full access and cannot be scoped or audited per identity.", "Disable shared key access and use Entra ID authorization.",
            r => WhenTrue(r, "sharedKeyAccess", $"Storage account {r.Address} accepts shared key authorization"),
            defaultNote: "Shared key access is allowed unless disabled (a null allowSharedKeyAccess means true).", aliases: ["CKV2_AZURE_40"]);
        yield return R("AZ-STORAGE-005", "storage", Kinds.StorageAccount, Severity.Medium, "Storage account network access is not restricted",
            "The account accepts connections from all networks.", "Set the network rules' default action to Deny and allow specific networks.",
            r => WhenString(r, "networkDefaultAction", v => v.Equals("Allow", StringComparison.OrdinalIgnoreCase), $"Storage account {r.Address} allows all networks"),
            defaultNote: "Without network rules the default action is Allow.", aliases: ["AVD-AZU-0012", "CKV_AZURE_35", "azure-storage-default-action-deny"]);

        // ---------------------------------------------------------------- Key Vault
        yield return R("AZ-KV-001", "keyvault", Kinds.KeyVault, Severity.Medium, "Key Vault purge protection is disabled",
            "Deleted vaults and secrets can be purged before the retention period ends.", "Enable purge protection.",
            r => WhenFalse(r, "purgeProtection", $"Key Vault {r.Address} has no purge protection"),
            defaultNote: "Purge protection is off unless enabled.", aliases: ["AVD-AZU-0016", "CKV_AZURE_110", "azure-keyvault-no-purge"]);
        yield return R("AZ-KV-002", "keyvault", Kinds.KeyVault, Severity.Medium, "Key Vault soft delete is disabled",
            "Deleted secrets, keys and certificates cannot be recovered.", "Do not disable soft delete.",
            r => WhenFalse(r, "softDelete", $"Key Vault {r.Address} disables soft delete"), aliases: ["CKV_AZURE_42"]);
        yield return R("AZ-KV-003", "keyvault", Kinds.KeyVault, Severity.Medium, "Key Vault network access is not restricted",
            "The vault accepts connections from all networks.", "Set network ACLs with default action Deny.",
            r => WhenString(r, "networkDefaultAction", v => v.Equals("Allow", StringComparison.OrdinalIgnoreCase), $"Key Vault {r.Address} allows all networks"),
            defaultNote: "Without network ACLs every network may reach the vault.", aliases: ["AVD-AZU-0013", "CKV_AZURE_109", "azure-keyvault-specify-network-acl"]);

        // ---------------------------------------------------------------- SQL
        yield return R("AZ-SQL-001", "sql", Kinds.SqlServer, Severity.High, "SQL server allows public network access",
            "The server's public endpoint is reachable from the internet (subject to firewall rules).", "Disable public network access and use private endpoints.",
            r => WhenTrue(r, "publicNetworkAccess", $"SQL server {r.Address} allows public network access"),
            defaultNote: "Public network access is enabled unless disabled.", aliases: ["AVD-AZU-0022", "CKV_AZURE_113", "azure-database-no-public-access"]);
        yield return R("AZ-SQL-002", "sql", Kinds.SqlServer, Severity.Medium, "SQL server accepts TLS below 1.2",
            "Clients may connect with TLS 1.0 or 1.1.", "Set the minimal TLS version to 1.2.",
            r => WhenString(r, "minTls", WeakTls, $"SQL server {r.Address} accepts TLS {r.Str("minTls").Value}"),
            defaultNote: "ARM: without minimalTlsVersion every TLS version is accepted; azurerm 3.0+ defaults to 1.2.", aliases: ["AVD-AZU-0026", "CKV_AZURE_52", "azure-database-secure-tls-policy"]);
        yield return R("AZ-SQL-003", "sql", Kinds.SqlServer, Severity.Medium, "SQL server auditing is disabled",
            "Database activity is not audited.", "Configure an auditing policy for the server.",
            r => WhenFalse(r, "auditing", $"SQL server {r.Address} has no auditing"),
            defaultNote: "Auditing is off until an auditing policy is configured.", aliases: ["AVD-AZU-0027", "CKV_AZURE_23", "azure-database-enable-audit"]);

        // ---------------------------------------------------------------- AKS
        yield return R("AZ-AKS-001", "aks", Kinds.AksCluster, Severity.High, "AKS API server is not private",
            "The Kubernetes API server has a public endpoint.", "Enable a private cluster.",
            r => WhenFalse(r, "privateCluster", $"AKS cluster {r.Address} has a public API server"),
            defaultNote: "Clusters are public unless private cluster is enabled.", aliases: ["CKV_AZURE_115"]);
        yield return R("AZ-AKS-002", "aks", Kinds.AksCluster, Severity.High, "AKS Kubernetes RBAC is disabled",
            "Without RBAC every authenticated user has full access.", "Enable role-based access control.",
            r => WhenFalse(r, "rbac", $"AKS cluster {r.Address} disables Kubernetes RBAC"), aliases: ["AVD-AZU-0042", "CKV_AZURE_5", "azure-container-use-rbac-permissions"]);
        yield return R("AZ-AKS-003", "aks", Kinds.AksCluster, Severity.Medium, "AKS has no network policy",
            "Pods can reach each other without restriction.", "Set network_profile.network_policy to azure, calico or cilium.",
            r => WhenString(r, "networkPolicy", v => v.Length == 0 || v.Equals("none", StringComparison.OrdinalIgnoreCase), $"AKS cluster {r.Address} runs no network policy engine"),
            defaultNote: "No network policy engine runs unless one is chosen.", aliases: ["AVD-AZU-0043", "CKV_AZURE_7", "azure-container-configured-network-policy"]);
        yield return R("AZ-AKS-004", "aks", Kinds.AksCluster, Severity.Medium, "AKS local accounts are enabled",
            "The static cluster-admin credential bypasses Entra ID and cannot be audited per user.", "Disable local accounts.",
            r => WhenFalse(r, "localAccountsDisabled", $"AKS cluster {r.Address} keeps local accounts enabled"),
            defaultNote: "Local accounts are enabled unless disabled.", aliases: ["CKV_AZURE_141"]);

        // ---------------------------------------------------------------- ACR
        yield return R("AZ-ACR-001", "acr", Kinds.ContainerRegistry, Severity.High, "Container registry admin user is enabled",
            "The admin user is a shared credential with push and pull rights.", "Disable the admin user and use Entra ID identities.",
            r => WhenTrue(r, "adminEnabled", $"Registry {r.Address} has the admin user enabled"), aliases: ["CKV_AZURE_137"]);
        yield return R("AZ-ACR-002", "acr", Kinds.ContainerRegistry, Severity.Medium, "Container registry allows public network access",
            "The registry is reachable from any network.", "Disable public network access and use private endpoints.",
            r => WhenTrue(r, "publicNetworkAccess", $"Registry {r.Address} allows public network access"),
            defaultNote: "Public network access is enabled unless disabled.", aliases: ["CKV_AZURE_139"]);

        // ---------------------------------------------------------------- App Service and Functions
        yield return R("AZ-APP-001", "appservice", Kinds.AppService, Severity.High, "App Service accepts HTTP",
            "The app serves plain HTTP requests.", "Set httpsOnly / https_only to true.",
            r => WhenFalse(r, "httpsOnly", $"App {r.Address} does not enforce HTTPS"),
            defaultNote: "HTTPS-only is off unless set.", aliases: ["AVD-AZU-0004", "CKV_AZURE_14", "CKV_AZURE_70", "azure-appservice-enforce-https"]);
        yield return R("AZ-APP-002", "appservice", Kinds.AppService, Severity.Medium, "App Service accepts TLS below 1.2",
            "Clients may connect with TLS 1.0 or 1.1.", "Set the minimum TLS version to 1.2.",
            r => WhenString(r, "minTls", WeakTls, $"App {r.Address} accepts TLS {r.Str("minTls").Value}"), aliases: ["AVD-AZU-0006", "CKV_AZURE_15", "azure-appservice-use-secure-tls-policy"]);
        yield return R("AZ-APP-003", "appservice", Kinds.AppService, Severity.Medium, "App Service allows plain FTP",
            "Deployment credentials may travel over unencrypted FTP.", "Set ftps_state / ftpsState to FtpsOnly or Disabled.",
            r => WhenString(r, "ftpsState", v => v.Equals("AllAllowed", StringComparison.OrdinalIgnoreCase), $"App {r.Address} allows plain FTP"),
            defaultNote: "The App Service API defaults ftpsState to AllAllowed; the current azurerm resources default to Disabled.", aliases: ["CKV_AZURE_78"]);
        yield return R("AZ-APP-004", "appservice", Kinds.AppService, Severity.High, "App Service remote debugging is enabled",
            "Remote debugging opens inbound ports and attaches a debugger to production code.", "Disable remote debugging.",
            r => WhenTrue(r, "remoteDebugging", $"App {r.Address} has remote debugging enabled"), aliases: ["CKV_AZURE_72"]);
        yield return R("AZ-APP-005", "appservice", Kinds.AppService, Severity.Low, "App Service has no managed identity",
            "Without a managed identity the app must keep credentials in its settings.", "Add a system- or user-assigned identity.",
            r => WhenFalse(r, "identity", $"App {r.Address} has no managed identity"),
            defaultNote: "No identity is assigned unless configured.", aliases: ["AVD-AZU-0002", "CKV_AZURE_16", "CKV_AZURE_71"]);

        // ---------------------------------------------------------------- NSG
        yield return R("AZ-NSG-001", "network", Kinds.NsgRule, Severity.Critical, "NSG allows SSH from the internet",
            "An inbound Allow rule opens port 22 to any source.", "Restrict the source to known ranges or use Bastion.",
            r => NsgOpen(r, 22, "SSH"), aliases: ["AVD-AZU-0050", "CKV_AZURE_10"]);
        yield return R("AZ-NSG-002", "network", Kinds.NsgRule, Severity.Critical, "NSG allows RDP from the internet",
            "An inbound Allow rule opens port 3389 to any source.", "Restrict the source to known ranges or use Bastion.",
            r => NsgOpen(r, 3389, "RDP"), aliases: ["AVD-AZU-0048", "CKV_AZURE_9"]);
        yield return R("AZ-NSG-003", "network", Kinds.NsgRule, Severity.Critical, "NSG allows all ports from the internet",
            "An inbound Allow rule opens every port to any source.", "Open only the ports the service needs.",
            r => NsgOpen(r, -1, "all ports"), aliases: ["AVD-AZU-0047"]);
    }

    /// <summary>An inbound Allow rule from any source covering <paramref name="port"/> (-1: the rule opens every port).</summary>
    private static IEnumerable<RuleHit> NsgOpen(ModelResource r, int port, string name)
    {
        if (!r.Str("direction").Is(d => d.Equals("Inbound", StringComparison.OrdinalIgnoreCase))
            || !r.Str("access").Is(a => a.Equals("Allow", StringComparison.OrdinalIgnoreCase)))
        {
            yield break;
        }

        var sources = r.Get("sources");
        var ports = r.Get("ports");
        if (!sources.IsKnown || !ports.IsKnown || sources.Value is null || ports.Value is null)
        {
            yield break;
        }

        if (!sources.Value.AsList().Any(s => s.TryString() is { } v && AwsRules.IsWorld(v)))
        {
            yield break;
        }

        var ranges = ports.Value.AsList().Select(p => p.TryString() ?? string.Empty).ToList();
        var all = ranges.Any(p => p is "*" or "0-65535" or "1-65535");
        var match = port < 0 ? all : !all && ranges.Any(p => Covers(p, port));
        if (match)
        {
            yield return Hits.At(ports, $"NSG rule {r.Address} allows {name} from the internet");
        }
    }

    private static bool Covers(string range, int port)
    {
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return int.TryParse(range, System.Globalization.CultureInfo.InvariantCulture, out var p) && p == port;
        }

        return int.TryParse(range[..dash], System.Globalization.CultureInfo.InvariantCulture, out var lo)
            && int.TryParse(range[(dash + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var hi) && lo <= port && port <= hi;
    }
}
