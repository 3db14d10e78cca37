using Pipeline.Iac.Model;
using static Pipeline.Iac.Adapters.PropertyMap;

namespace Pipeline.Iac.Adapters;

internal static partial class TerraformAdapter
{
    private const string S3BpaDefault = "S3 service: Block Public Access is on for new buckets since April 2023 when no aws_s3_bucket_public_access_block overrides it";

    private static IEnumerable<KindMapping> AllMappings()
    {
        // ---------------------------------------------------------------- AWS (hashicorp/aws provider)
        yield return new KindMapping("aws_s3_bucket", Kinds.S3Bucket,
        [
            P("acl", "acl"),
            P("versioning", "versioning.enabled", false, "aws provider: versioning.enabled defaults to false; S3 buckets start unversioned"),
            Present("logging", "logging", "S3 service: server access logging is off unless configured"),
            P("sseAlgorithm", "server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.sse_algorithm", "AES256",
                "S3 service: SSE-S3 (AES256) applies to every new object since 2023-01-05"),
            P("kmsKeyId", "server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.kms_master_key_id"),
            P("blockPublicAcls", "block_public_acls", true, S3BpaDefault),
            P("blockPublicPolicy", "block_public_policy", true, S3BpaDefault),
            P("ignorePublicAcls", "ignore_public_acls", true, S3BpaDefault),
            P("restrictPublicBuckets", "restrict_public_buckets", true, S3BpaDefault),
        ]);
        yield return new KindMapping("aws_instance", Kinds.Ec2Instance,
        [
            P("httpTokens", "metadata_options.http_tokens", "optional", "aws provider: metadata_options.http_tokens defaults to \"optional\" (IMDSv1 allowed) unless the AMI requires v2"),
            P("publicIp", "associate_public_ip_address"),
            P("rootVolumeEncrypted", "root_block_device.encrypted", false, "aws provider: root_block_device.encrypted defaults to false unless the account encrypts EBS by default"),
        ]);
        yield return new KindMapping("aws_ebs_volume", Kinds.EbsVolume,
        [
            P("encrypted", "encrypted", false, "aws provider: encrypted defaults to false unless the account encrypts EBS by default"),
        ]);
        yield return new KindMapping("aws_db_instance", Kinds.RdsInstance,
        [
            P("publiclyAccessible", "publicly_accessible", false, "aws provider: publicly_accessible defaults to false"),
            P("storageEncrypted", "storage_encrypted", false, "aws provider: storage_encrypted defaults to false (RDS CreateDBInstance: \"By default, it isn't encrypted\")"),
            P("backupRetention", "backup_retention_period", 1, "RDS CreateDBInstance: BackupRetentionPeriod defaults to 1 day; the aws provider leaves it to the API"),
            P("deletionProtection", "deletion_protection", false, "aws provider: deletion_protection defaults to false"),
        ]);
        yield return new KindMapping("aws_rds_cluster", Kinds.RdsCluster,
        [
            P("storageEncrypted", "storage_encrypted", false, "aws provider: storage_encrypted defaults to false for provisioned clusters"),
            P("backupRetention", "backup_retention_period", 1, "aws provider: backup_retention_period defaults to 1"),
            P("deletionProtection", "deletion_protection", false, "aws provider: deletion_protection defaults to false"),
        ]);
        yield return new KindMapping("aws_eks_cluster", Kinds.EksCluster,
        [
            P("endpointPublicAccess", "vpc_config.endpoint_public_access", true, "aws provider / EKS API: endpoint_public_access defaults to true"),
            P("publicAccessCidrs", "vpc_config.public_access_cidrs", new[] { "0.0.0.0/0" }, "EKS API: publicAccessCidrs defaults to 0.0.0.0/0"),
            Present("secretsEncryption", "encryption_config", "EKS: Kubernetes secrets get no KMS envelope encryption unless encryption_config is set"),
            P("logTypes", "enabled_cluster_log_types", Array.Empty<string>(), "EKS: control plane logging is off unless log types are enabled"),
        ]);
        yield return new KindMapping("aws_ecr_repository", Kinds.EcrRepository,
        [
            P("scanOnPush", "image_scanning_configuration.scan_on_push", false, "aws provider: image_scanning_configuration.scan_on_push defaults to false"),
            P("tagMutability", "image_tag_mutability", "MUTABLE", "aws provider: image_tag_mutability defaults to MUTABLE"),
        ]);
        yield return new KindMapping("aws_cloudtrail", Kinds.CloudTrail,
        [
            P("multiRegion", "is_multi_region_trail", false, "aws provider: is_multi_region_trail defaults to false"),
            P("logValidation", "enable_log_file_validation", false, "aws provider: enable_log_file_validation defaults to false"),
            P("kmsKeyId", "kms_key_id", string.Empty, "CloudTrail: log files are encrypted with SSE-S3, not KMS, unless kms_key_id is set"),
        ]);
        yield return new KindMapping("aws_kms_key", Kinds.KmsKey,
        [
            P("rotation", "enable_key_rotation", false, "aws provider: enable_key_rotation defaults to false"),
            P("keySpec", "customer_master_key_spec", "SYMMETRIC_DEFAULT", "aws provider: customer_master_key_spec defaults to SYMMETRIC_DEFAULT"),
        ]);
        yield return new KindMapping("aws_sns_topic", Kinds.SnsTopic,
        [
            P("kmsKeyId", "kms_master_key_id", string.Empty, "SNS: topics have no server-side KMS encryption unless kms_master_key_id is set"),
        ]);
        yield return new KindMapping("aws_dynamodb_table", Kinds.DynamoTable,
        [
            P("pointInTimeRecovery", "point_in_time_recovery.enabled", false, "aws provider: point_in_time_recovery.enabled defaults to false"),
        ]);
        yield return new KindMapping("aws_efs_file_system", Kinds.EfsFileSystem,
        [
            P("encrypted", "encrypted", false, "aws provider / EFS CreateFileSystem: encrypted defaults to false"),
        ]);

        // ---------------------------------------------------------------- Azure (hashicorp/azurerm provider)
        yield return new KindMapping("azurerm_storage_account", Kinds.StorageAccount,
        [
            P("minTls", "min_tls_version", "TLS1_2", "azurerm provider: min_tls_version defaults to TLS1_2 since azurerm 3.0"),
            new Prop("allowBlobPublicAccess", "allow_nested_items_to_be_public")
            {
                AltPaths = ["allow_blob_public_access"],
                Default = (_, _) => new DefaultValue(DValue.True, "azurerm provider: allow_nested_items_to_be_public defaults to true"),
            },
            new Prop("httpsOnly", "https_traffic_only_enabled")
            {
                AltPaths = ["enable_https_traffic_only"],
                Default = (_, _) => new DefaultValue(DValue.True, "azurerm provider: https_traffic_only_enabled defaults to true"),
            },
            P("sharedKeyAccess", "shared_access_key_enabled", true, "azurerm provider: shared_access_key_enabled defaults to true"),
            P("networkDefaultAction", "network_rules.default_action", "Allow", "Azure Storage: without network_rules the account accepts traffic from all networks"),
        ]);
        yield return new KindMapping("azurerm_key_vault", Kinds.KeyVault,
        [
            P("purgeProtection", "purge_protection_enabled", false, "azurerm provider: purge_protection_enabled defaults to false"),
            P("softDelete", "soft_delete_enabled", true, "Key Vault: soft delete is always on for vaults created since 2020 (azurerm 3.0 removed soft_delete_enabled)"),
            P("networkDefaultAction", "network_acls.default_action", "Allow", "Key Vault: without network_acls every network may reach the vault"),
        ]);
        foreach (var type in new[] { "azurerm_mssql_server", "azurerm_sql_server" })
        {
            yield return new KindMapping(type, Kinds.SqlServer,
            [
                P("publicNetworkAccess", "public_network_access_enabled", true, "azurerm provider: public_network_access_enabled defaults to true"),
                P("minTls", "minimum_tls_version", "1.2", "azurerm provider: minimum_tls_version defaults to 1.2 since azurerm 3.0"),
                Present("auditing", "extended_auditing_policy", "Azure SQL: auditing is off until an auditing policy is configured"),
            ]);
        }

        yield return new KindMapping("azurerm_kubernetes_cluster", Kinds.AksCluster,
        [
            P("privateCluster", "private_cluster_enabled", false, "azurerm provider: private_cluster_enabled defaults to false"),
            new Prop("rbac", "role_based_access_control_enabled")
            {
                AltPaths = ["role_based_access_control.enabled"],
                Default = (_, _) => new DefaultValue(DValue.True, "azurerm provider: role_based_access_control_enabled defaults to true"),
            },
            P("networkPolicy", "network_profile.network_policy", string.Empty, "AKS: no network policy engine runs unless network_profile.network_policy is set"),
            P("localAccountsDisabled", "local_account_disabled", false, "azurerm provider: local_account_disabled defaults to false"),
        ]);
        yield return new KindMapping("azurerm_container_registry", Kinds.ContainerRegistry,
        [
            P("adminEnabled", "admin_enabled", false, "azurerm provider: admin_enabled defaults to false"),
            P("publicNetworkAccess", "public_network_access_enabled", true, "azurerm provider: public_network_access_enabled defaults to true"),
        ]);
        foreach (var type in new[] { "azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_linux_function_app", "azurerm_windows_function_app" })
        {
            yield return new KindMapping(type, Kinds.AppService,
            [
                P("httpsOnly", "https_only", false, "azurerm provider: https_only defaults to false"),
                P("minTls", "site_config.minimum_tls_version", "1.2", "azurerm provider: site_config.minimum_tls_version defaults to 1.2"),
                P("ftpsState", "site_config.ftps_state", "Disabled", "azurerm provider: site_config.ftps_state defaults to Disabled"),
                P("remoteDebugging", "site_config.remote_debugging_enabled", false, "azurerm provider: site_config.remote_debugging_enabled defaults to false"),
                Present("identity", "identity", "App Service: no managed identity unless an identity block is set"),
            ]);
        }

        foreach (var type in new[] { "azurerm_app_service", "azurerm_function_app" })
        {
            yield return new KindMapping(type, Kinds.AppService,
            [
                P("httpsOnly", "https_only", false, "azurerm provider: https_only defaults to false"),
                P("minTls", "site_config.min_tls_version", "1.2", "azurerm provider: site_config.min_tls_version defaults to 1.2"),
                P("ftpsState", "site_config.ftps_state", "AllAllowed", "App Service API: ftpsState defaults to AllAllowed; the legacy azurerm resources leave it to the API"),
                P("remoteDebugging", "site_config.remote_debugging_enabled", false, "azurerm provider: site_config.remote_debugging_enabled defaults to false"),
                Present("identity", "identity", "App Service: no managed identity unless an identity block is set"),
            ]);
        }

        // ---------------------------------------------------------------- GCP (hashicorp/google provider)
        yield return new KindMapping("google_storage_bucket", Kinds.GcsBucket,
        [
            P("uniformAccess", "uniform_bucket_level_access", false, "google provider: uniform_bucket_level_access defaults to false"),
        ]);
        yield return new KindMapping("google_compute_instance", Kinds.ComputeInstance,
        [
            Present("publicIp", "network_interface.access_config", "Compute Engine: an instance has no external IP without an access_config"),
            P("serialPort", "metadata.serial-port-enable", false, "Compute Engine: the interactive serial console is off unless serial-port-enable is set"),
            P("osLogin", "metadata.enable-oslogin"),
            P("secureBoot", "shielded_instance_config.enable_secure_boot", false, "google provider: shielded_instance_config.enable_secure_boot defaults to false"),
            P("blockProjectSshKeys", "metadata.block-project-ssh-keys", false, "Compute Engine: project-wide SSH keys are accepted unless block-project-ssh-keys is set"),
            P("ipForwarding", "can_ip_forward", false, "google provider: can_ip_forward defaults to false"),
        ]);
        yield return new KindMapping("google_container_cluster", Kinds.GkeCluster,
        [
            P("privateNodes", "private_cluster_config.enable_private_nodes", false, "google provider: nodes get public IPs unless private_cluster_config.enable_private_nodes is true"),
            Present("masterAuthorizedNetworks", "master_authorized_networks_config", "GKE: the control plane endpoint accepts any address unless master authorized networks are configured"),
            P("networkPolicy", "network_policy.enabled", false, "google provider: network_policy.enabled defaults to false"),
            P("legacyAbac", "enable_legacy_abac", false, "google provider: enable_legacy_abac defaults to false"),
            P("shieldedNodes", "enable_shielded_nodes", true, "google provider: enable_shielded_nodes defaults to true"),
        ]);
        yield return new KindMapping("google_sql_database_instance", Kinds.CloudSqlInstance,
        [
            P("publicIp", "settings.ip_configuration.ipv4_enabled", true, "google provider: settings.ip_configuration.ipv4_enabled defaults to true"),
            P("requireSsl", "settings.ip_configuration.require_ssl", false, "google provider: require_ssl defaults to false"),
            P("sslMode", "settings.ip_configuration.ssl_mode"),
            P("authorizedNetworks", "settings.ip_configuration.authorized_networks"),
        ]);
        yield return new KindMapping("google_compute_firewall", Kinds.Firewall,
        [
            P("direction", "direction", "INGRESS", "google provider: direction defaults to INGRESS"),
            P("sourceRanges", "source_ranges"),
            P("allowed", "allow"),
        ]);
    }
}
