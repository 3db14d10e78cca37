using Pipeline.Iac.Model;
using Pipeline.Iac.Parsing.CloudFormation;
using static Pipeline.Iac.Adapters.PropertyMap;

namespace Pipeline.Iac.Adapters;

/// <summary>
/// Adapts CloudFormation templates (JSON or YAML). Defaults here are CloudFormation's: what the resource
/// type's documentation says applies when a property is left out, which can differ from Terraform's.
/// </summary>
internal static class CloudFormationAdapter
{
    private static readonly DefaultValue S3BpaService = new(DValue.True, "S3 service: Block Public Access is on for new buckets since April 2023 when PublicAccessBlockConfiguration is absent");

    private static Prop BpaFlag(string name, string path) => new(name, "PublicAccessBlockConfiguration." + path)
    {
        Default = (attrs, _) => attrs.Get("PublicAccessBlockConfiguration") is null
            ? S3BpaService
            : new DefaultValue(DValue.False, $"CloudFormation AWS::S3::Bucket: {path} left out of PublicAccessBlockConfiguration is false"),
    };

    private static readonly Dictionary<string, KindMapping> Maps = new KindMapping[]
    {
        new("AWS::S3::Bucket", Kinds.S3Bucket,
        [
            P("acl", "AccessControl"),
            new Prop("versioning", "VersioningConfiguration.Status")
            {
                Transform = EnabledString,
                Default = (_, _) => new DefaultValue(DValue.False, "CloudFormation AWS::S3::Bucket: the bucket is unversioned unless VersioningConfiguration.Status is Enabled"),
            },
            Present("logging", "LoggingConfiguration", "S3 service: server access logging is off unless LoggingConfiguration is set"),
            P("sseAlgorithm", "BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.SSEAlgorithm", "AES256",
                "S3 service: SSE-S3 (AES256) applies to every new object since 2023-01-05"),
            P("kmsKeyId", "BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.KMSMasterKeyID"),
            BpaFlag("blockPublicAcls", "BlockPublicAcls"),
            BpaFlag("blockPublicPolicy", "BlockPublicPolicy"),
            BpaFlag("ignorePublicAcls", "IgnorePublicAcls"),
            BpaFlag("restrictPublicBuckets", "RestrictPublicBuckets"),
        ]),
        new("AWS::EC2::Instance", Kinds.Ec2Instance,
        [
            P("publicIp", "NetworkInterfaces.AssociatePublicIpAddress"),
            P("rootVolumeEncrypted", "BlockDeviceMappings.Ebs.Encrypted", false, "CloudFormation AWS::EC2::Instance: Ebs.Encrypted defaults to false unless the account encrypts EBS by default"),
        ]),
        new("AWS::EC2::LaunchTemplate", Kinds.Ec2Instance,
        [
            P("httpTokens", "LaunchTemplateData.MetadataOptions.HttpTokens", "optional", "EC2 API: HttpTokens defaults to optional (IMDSv1 allowed) unless the AMI requires v2"),
            P("publicIp", "LaunchTemplateData.NetworkInterfaces.AssociatePublicIpAddress"),
            P("rootVolumeEncrypted", "LaunchTemplateData.BlockDeviceMappings.Ebs.Encrypted", false, "EC2 API: Ebs.Encrypted defaults to false unless the account encrypts EBS by default"),
        ]),
        new("AWS::EC2::Volume", Kinds.EbsVolume,
        [
            P("encrypted", "Encrypted", false, "CloudFormation AWS::EC2::Volume: Encrypted defaults to false unless the account encrypts EBS by default"),
        ]),
        new("AWS::RDS::DBInstance", Kinds.RdsInstance,
        [
            // PubliclyAccessible has no fixed default in CloudFormation: it depends on the VPC and subnet group.
            P("publiclyAccessible", "PubliclyAccessible"),
            P("storageEncrypted", "StorageEncrypted", false, "CloudFormation AWS::RDS::DBInstance: StorageEncrypted defaults to false (\"By default, it isn't encrypted\")"),
            P("backupRetention", "BackupRetentionPeriod", 1, "CloudFormation AWS::RDS::DBInstance: BackupRetentionPeriod defaults to 1"),
            P("deletionProtection", "DeletionProtection", false, "CloudFormation AWS::RDS::DBInstance: DeletionProtection defaults to false"),
        ]),
        new("AWS::RDS::DBCluster", Kinds.RdsCluster,
        [
            P("storageEncrypted", "StorageEncrypted", false, "CloudFormation AWS::RDS::DBCluster: StorageEncrypted defaults to false"),
            P("backupRetention", "BackupRetentionPeriod", 1, "CloudFormation AWS::RDS::DBCluster: BackupRetentionPeriod defaults to 1"),
            P("deletionProtection", "DeletionProtection", false, "CloudFormation AWS::RDS::DBCluster: DeletionProtection defaults to false"),
        ]),
        new("AWS::EKS::Cluster", Kinds.EksCluster,
        [
            P("endpointPublicAccess", "ResourcesVpcConfig.EndpointPublicAccess", true, "EKS API: EndpointPublicAccess defaults to true"),
            P("publicAccessCidrs", "ResourcesVpcConfig.PublicAccessCidrs", new[] { "0.0.0.0/0" }, "EKS API: PublicAccessCidrs defaults to 0.0.0.0/0"),
            Present("secretsEncryption", "EncryptionConfig", "EKS: Kubernetes secrets get no KMS envelope encryption unless EncryptionConfig is set"),
            P("logTypes", "Logging.ClusterLogging.EnabledTypes", Array.Empty<string>(), "EKS: control plane logging is off unless log types are enabled"),
        ]),
        new("AWS::ECR::Repository", Kinds.EcrRepository,
        [
            P("scanOnPush", "ImageScanningConfiguration.ScanOnPush", false, "CloudFormation AWS::ECR::Repository: ScanOnPush defaults to false"),
            P("tagMutability", "ImageTagMutability", "MUTABLE", "CloudFormation AWS::ECR::Repository: ImageTagMutability defaults to MUTABLE"),
        ]),
        new("AWS::CloudTrail::Trail", Kinds.CloudTrail,
        [
            P("multiRegion", "IsMultiRegionTrail", false, "CloudFormation AWS::CloudTrail::Trail: IsMultiRegionTrail defaults to false"),
            P("logValidation", "EnableLogFileValidation", false, "CloudFormation AWS::CloudTrail::Trail: EnableLogFileValidation defaults to false"),
            P("kmsKeyId", "KMSKeyId", string.Empty, "CloudTrail: log files are encrypted with SSE-S3, not KMS, unless KMSKeyId is set"),
        ]),
        new("AWS::KMS::Key", Kinds.KmsKey,
        [
            P("rotation", "EnableKeyRotation", false, "CloudFormation AWS::KMS::Key: EnableKeyRotation defaults to false"),
            P("keySpec", "KeySpec", "SYMMETRIC_DEFAULT", "CloudFormation AWS::KMS::Key: KeySpec defaults to SYMMETRIC_DEFAULT"),
        ]),
        new("AWS::SNS::Topic", Kinds.SnsTopic,
        [
            P("kmsKeyId", "KmsMasterKeyId", string.Empty, "SNS: topics have no server-side KMS encryption unless KmsMasterKeyId is set"),
        ]),
        new("AWS::DynamoDB::Table", Kinds.DynamoTable,
        [
            P("pointInTimeRecovery", "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled", false, "CloudFormation AWS::DynamoDB::Table: PointInTimeRecoveryEnabled defaults to false"),
        ]),
        new("AWS::EFS::FileSystem", Kinds.EfsFileSystem,
        [
            P("encrypted", "Encrypted", false, "CloudFormation AWS::EFS::FileSystem: Encrypted defaults to false"),
        ]),
    }.ToDictionary(m => m.NativeType, StringComparer.Ordinal);

    public static IEnumerable<(string NativeType, string Kind)> Types =>
        Maps.Values.Select(m => (m.NativeType, m.Kind)).Concat(
        [
            ("AWS::EC2::SecurityGroup", Kinds.SecurityGroupIngress),
            ("AWS::EC2::SecurityGroupIngress", Kinds.SecurityGroupIngress),
            ("AWS::IAM::Policy", Kinds.IamPolicy),
            ("AWS::IAM::ManagedPolicy", Kinds.IamPolicy),
            ("AWS::IAM::Role", Kinds.IamPolicy),
            ("AWS::IAM::User", Kinds.IamPolicy),
            ("AWS::IAM::Group", Kinds.IamPolicy),
        ]);

    public static Func<string, DValue, int, DValue> ShortTag => CfnEvaluator.ShortTag;

    public static bool MightBeYamlTemplate(string text) =>
        text.Contains("AWSTemplateFormatVersion", StringComparison.Ordinal) || text.Contains("AWS::", StringComparison.Ordinal);

    public static bool LooksLikeTemplate(DValue doc) =>
        doc.Get("AWSTemplateFormatVersion") is not null
        || (doc.Get("Resources") is { Kind: DKind.Map } res && res.Fields.Values.Any(r => r.Get("Type")?.TryString()?.StartsWith("AWS::", StringComparison.Ordinal) == true));

    public static List<ModelResource> Adapt(DValue template, string file, string? text = null)
    {
        var eval = new CfnEvaluator(template);
        var models = new List<ModelResource>();
        var lines = text?.Split('\n');
        foreach (var (logicalId, resource) in template.Get("Resources")?.Fields ?? new Dictionary<string, DValue>())
        {
            if (resource.Get("Type")?.TryString() is not { } type)
            {
                continue;
            }

            // A resource whose Condition is known false is not deployed.
            if (resource.Get("Condition")?.TryString() is { } cond && eval.Evaluate(DValue.Map(new() { ["Condition"] = DValue.Str(cond) })).TryBool() == false)
            {
                continue;
            }

            var props = eval.Evaluate(resource.Get("Properties") ?? DValue.Map([], resource.Line, resource.EndLine));
            var start = KeyLine(lines, logicalId, resource.Line);
            if (Maps.TryGetValue(type, out var map))
            {
                models.Add(Build(map, logicalId, file, start, resource.EndLine, props, ignoreCase: false));
                continue;
            }

            switch (type)
            {
                case "AWS::EC2::SecurityGroup":
                    foreach (var rule in props.Get("SecurityGroupIngress")?.AsList() ?? [])
                    {
                        models.Add(Ingress(logicalId, type, file, rule, start, resource.EndLine));
                    }

                    break;
                case "AWS::EC2::SecurityGroupIngress":
                    models.Add(Ingress(logicalId, type, file, props, start, resource.EndLine));
                    break;
                case "AWS::IAM::Policy" or "AWS::IAM::ManagedPolicy":
                    models.Add(Policy(logicalId, type, file, props.Get("PolicyDocument"), start, resource.EndLine));
                    break;
                case "AWS::IAM::Role" or "AWS::IAM::User" or "AWS::IAM::Group":
                    foreach (var policy in props.Get("Policies")?.AsList() ?? [])
                    {
                        models.Add(Policy(logicalId, type, file, policy.Get("PolicyDocument"), start, resource.EndLine));
                    }

                    break;
            }
        }

        return models;
    }

    /// <summary>The line of the logical id key (YAML and JSON both put it at or just above the resource body).</summary>
    private static int KeyLine(string[]? lines, string logicalId, int bodyLine)
    {
        if (lines is null)
        {
            return bodyLine;
        }

        for (var l = Math.Min(bodyLine, lines.Length); l >= Math.Max(1, bodyLine - 2); l--)
        {
            var t = lines[l - 1].TrimStart();
            if (t.StartsWith(logicalId + ":", StringComparison.Ordinal) || t.StartsWith("\"" + logicalId + "\"", StringComparison.Ordinal))
            {
                return l;
            }
        }

        return bodyLine;
    }

    private static ModelResource Ingress(string logicalId, string type, string file, DValue rule, int start, int end)
    {
        var r = new ModelResource(Kinds.SecurityGroupIngress, logicalId, file, rule.Line == 0 ? start : rule.Line, rule.Line == 0 ? end : rule.EndLine) { NativeType = type };
        r.Set("fromPort", rule.Get("FromPort"), "FromPort");
        r.Set("toPort", rule.Get("ToPort"), "ToPort");
        r.Set("protocol", rule.Get("IpProtocol"), "IpProtocol");
        r.Set("cidrs", TerraformAdapter.Concat(rule, "CidrIp", "CidrIpv6"), "CidrIp");
        r.Set("description", rule.Get("Description"), "Description", "CloudFormation: Description is optional and empty when unset", DValue.Str(string.Empty));
        return r;
    }

    private static ModelResource Policy(string logicalId, string type, string file, DValue? document, int start, int end)
    {
        var r = new ModelResource(Kinds.IamPolicy, logicalId, file, start, end) { NativeType = type };
        if (document?.TryString() is { } json)
        {
            try
            {
                document = TerraformAdapter.Relocate(Parsing.Json.JsonDocumentParser.Parse(json), document.Line, document.EndLine);
            }
            catch (Parsing.IacParseException)
            {
                document = DValue.Unknown();
            }
        }

        r.Set("document", document, "PolicyDocument");
        return r;
    }
}
