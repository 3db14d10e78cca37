namespace Pipeline.Iac.Model;

/// <summary>
/// The canonical resource kinds of the provider model. Each adapter maps its native types onto these,
/// so one rule covers every format. Property names per kind are listed next to each constant.
/// </summary>
internal static class Kinds
{
    // AWS
    /// <summary>acl, versioning, logging, sseAlgorithm, kmsKeyId, blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets.</summary>
    public const string S3Bucket = "aws.s3.bucket";

    /// <summary>One ingress rule of a security group: fromPort, toPort, protocol, cidrs, description.</summary>
    public const string SecurityGroupIngress = "aws.ec2.sg-ingress";

    /// <summary>httpTokens, publicIp, rootVolumeEncrypted.</summary>
    public const string Ec2Instance = "aws.ec2.instance";

    /// <summary>encrypted.</summary>
    public const string EbsVolume = "aws.ebs.volume";

    /// <summary>publiclyAccessible, storageEncrypted, backupRetention, deletionProtection.</summary>
    public const string RdsInstance = "aws.rds.instance";

    /// <summary>storageEncrypted, backupRetention, deletionProtection.</summary>
    public const string RdsCluster = "aws.rds.cluster";

    /// <summary>endpointPublicAccess, publicAccessCidrs, secretsEncryption, logTypes.</summary>
    public const string EksCluster = "aws.eks.cluster";

    /// <summary>scanOnPush, tagMutability.</summary>
    public const string EcrRepository = "aws.ecr.repository";

    /// <summary>document (the policy JSON as a value).</summary>
    public const string IamPolicy = "aws.iam.policy";

    /// <summary>multiRegion, logValidation, kmsKeyId.</summary>
    public const string CloudTrail = "aws.cloudtrail.trail";

    /// <summary>rotation, keySpec.</summary>
    public const string KmsKey = "aws.kms.key";

    /// <summary>kmsKeyId.</summary>
    public const string SnsTopic = "aws.sns.topic";

    /// <summary>pointInTimeRecovery.</summary>
    public const string DynamoTable = "aws.dynamodb.table";

    /// <summary>encrypted.</summary>
    public const string EfsFileSystem = "aws.efs.filesystem";

    // Azure
    /// <summary>minTls, allowBlobPublicAccess, httpsOnly, sharedKeyAccess, networkDefaultAction.</summary>
    public const string StorageAccount = "azure.storage.account";

    /// <summary>purgeProtection, softDelete, networkDefaultAction.</summary>
    public const string KeyVault = "azure.keyvault.vault";

    /// <summary>publicNetworkAccess, minTls, auditing.</summary>
    public const string SqlServer = "azure.sql.server";

    /// <summary>privateCluster, rbac, networkPolicy, localAccountsDisabled.</summary>
    public const string AksCluster = "azure.aks.cluster";

    /// <summary>adminEnabled, publicNetworkAccess.</summary>
    public const string ContainerRegistry = "azure.acr.registry";

    /// <summary>httpsOnly, minTls, ftpsState, remoteDebugging, identity.</summary>
    public const string AppService = "azure.appservice.app";

    /// <summary>One NSG rule: direction, access, protocol, sources, ports.</summary>
    public const string NsgRule = "azure.network.nsg-rule";

    // GCP
    /// <summary>uniformAccess.</summary>
    public const string GcsBucket = "gcp.storage.bucket";

    /// <summary>An IAM member or binding on a bucket: members.</summary>
    public const string GcsBucketIam = "gcp.storage.bucket-iam";

    /// <summary>publicIp, serialPort, osLogin, secureBoot, blockProjectSshKeys, ipForwarding.</summary>
    public const string ComputeInstance = "gcp.compute.instance";

    /// <summary>privateNodes, masterAuthorizedNetworks, networkPolicy, legacyAbac, shieldedNodes.</summary>
    public const string GkeCluster = "gcp.gke.cluster";

    /// <summary>publicIp, requireSsl, authorizedNetworks.</summary>
    public const string CloudSqlInstance = "gcp.sql.instance";

    /// <summary>direction, sourceRanges, allowed (list of {protocol, ports}).</summary>
    public const string Firewall = "gcp.compute.firewall";

    // Kubernetes
    /// <summary>One container of a workload with its effective security context (container over pod).</summary>
    public const string K8sContainer = "kubernetes.container";

    /// <summary>The pod spec of a workload: hostNetwork, hostPID, hostIPC, hostPathVolumes, automountToken.</summary>
    public const string K8sPod = "kubernetes.pod";

    // Dockerfile
    /// <summary>A whole Dockerfile; the typed model is in <see cref="ModelResource.Payload"/>.</summary>
    public const string Dockerfile = "dockerfile.file";
}
