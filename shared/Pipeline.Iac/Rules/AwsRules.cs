using Pipeline.Core.Model;
using Pipeline.Iac.Model;
using static Pipeline.Iac.Rules.Hits;

namespace Pipeline.Iac.Rules;

/// <summary>AWS rules, one section per service.</summary>
internal static class AwsRules
{
    private static Rule R(string id, string service, string kind, Severity severity, string title, string description, string remediation,
        Func<ModelResource, IEnumerable<RuleHit>> check, string? defaultNote = null, string[]? aliases = null) =>
        Rule.Define("aws", id, service, kind, severity, title, description, remediation, check, defaultNote, aliases);

    private static readonly string[] PublicAcls = ["publicread", "publicreadwrite", "authenticatedread"];

    public static IEnumerable<Rule> All()
    {
        // ---------------------------------------------------------------- S3
        yield return R("AWS-S3-001", "s3", Kinds.S3Bucket, Severity.High, "S3 bucket has a public ACL",
            "A canned ACL of public-read, public-read-write or authenticated-read lets anyone (or any AWS user) list or read the bucket.",
            "Use a private ACL and grant access through bucket policies scoped to principals.",
            r => WhenString(r, "acl", v => PublicAcls.Contains(v.Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant()), $"Bucket {r.Address} has the public ACL '{r.Str("acl").Value}'"),
            aliases: ["AVD-AWS-0092", "CKV_AWS_20", "aws-s3-no-public-access-with-acl"]);
        yield return R("AWS-S3-002", "s3", Kinds.S3Bucket, Severity.High, "S3 Block Public Access is turned off",
            "A public access block with any of its four flags off lets public ACLs or policies expose the bucket.",
            "Set block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets to true.",
            r => new[] { "blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets" }
                .SelectMany(p => WhenFalse(r, p, $"Bucket {r.Address} does not {Humanize(p)}")),
            defaultNote: "S3 turns Block Public Access on for new buckets (April 2023), but a public access block resource leaves any flag it omits off.",
            aliases: ["AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "aws-s3-block-public-acls", "aws-s3-block-public-policy"]);
        yield return R("AWS-S3-003", "s3", Kinds.S3Bucket, Severity.Low, "S3 bucket is not encrypted with a KMS key",
            "S3 encrypts new objects with S3-managed keys (SSE-S3) by default; a customer-managed KMS key adds key policies, rotation control and audit of key use.",
            "Configure server-side encryption with aws:kms and a customer-managed key.",
            r => WhenString(r, "sseAlgorithm", v => !v.StartsWith("aws:kms", StringComparison.OrdinalIgnoreCase), $"Bucket {r.Address} is encrypted with {r.Str("sseAlgorithm").Value}, not a KMS key"),
            defaultNote: "S3 applies SSE-S3 (AES256) to new objects since 2023-01-05.",
            aliases: ["AVD-AWS-0132", "CKV_AWS_145", "aws-s3-encryption-customer-key"]);
        yield return R("AWS-S3-004", "s3", Kinds.S3Bucket, Severity.Medium, "S3 bucket versioning is disabled",
            "Without versioning, overwritten or deleted objects cannot be recovered.",
            "Enable versioning on the bucket.",
            r => WhenFalse(r, "versioning", $"Bucket {r.Address} does not have versioning enabled"),
            defaultNote: "S3 buckets are unversioned until versioning is enabled.",
            aliases: ["AVD-AWS-0090", "CKV_AWS_21", "aws-s3-enable-versioning"]);
        yield return R("AWS-S3-005", "s3", Kinds.S3Bucket, Severity.Medium, "S3 bucket access logging is disabled",
            "Without server access logs, requests to the bucket cannot be audited.",
            "Configure server access logging to a separate log bucket.",
            r => WhenFalse(r, "logging", $"Bucket {r.Address} does not log access requests"),
            defaultNote: "S3 server access logging is off unless configured.",
            aliases: ["AVD-AWS-0089", "CKV_AWS_18", "aws-s3-enable-bucket-logging"]);

        // ---------------------------------------------------------------- EC2 security groups and instances
        yield return R("AWS-EC2-001", "ec2", Kinds.SecurityGroupIngress, Severity.Critical, "Security group allows SSH from the internet",
            "An ingress rule opens port 22 to 0.0.0.0/0 or ::/0.", "Restrict SSH to known address ranges or use Session Manager.",
            r => OpenPort(r, 22, "SSH"), aliases: ["CKV_AWS_24"]);
        yield return R("AWS-EC2-002", "ec2", Kinds.SecurityGroupIngress, Severity.Critical, "Security group allows RDP from the internet",
            "An ingress rule opens port 3389 to 0.0.0.0/0 or ::/0.", "Restrict RDP to known address ranges or use a bastion.",
            r => OpenPort(r, 3389, "RDP"), aliases: ["CKV_AWS_25"]);
        yield return R("AWS-EC2-003", "ec2", Kinds.SecurityGroupIngress, Severity.Critical, "Security group allows all traffic from the internet",
            "An ingress rule opens every port (protocol -1 or 0-65535) to 0.0.0.0/0 or ::/0.", "Open only the ports the service needs, to the ranges that need them.",
            r => AllPortsOpen(r), aliases: ["AVD-AWS-0107", "aws-ec2-no-public-ingress-sgr"]);
        yield return R("AWS-EC2-004", "ec2", Kinds.SecurityGroupIngress, Severity.Low, "Security group rule has no description",
            "Rules without descriptions are hard to review and to clean up.", "Describe why each rule exists.",
            r => WhenEmpty(r, "description", $"An ingress rule of {r.Address} has no description"),
            aliases: ["AVD-AWS-0124", "CKV_AWS_23", "aws-ec2-add-description-to-security-group-rule"]);
        yield return R("AWS-EC2-005", "ec2", Kinds.Ec2Instance, Severity.High, "EC2 instance allows IMDSv1",
            "Without required session tokens the instance metadata service answers IMDSv1 requests, which SSRF bugs can reach.",
            "Set metadata_options.http_tokens to \"required\".",
            r => WhenString(r, "httpTokens", v => !v.Equals("required", StringComparison.OrdinalIgnoreCase), $"Instance {r.Address} does not require IMDSv2 tokens"),
            defaultNote: "http_tokens is \"optional\" unless set.", aliases: ["AVD-AWS-0028", "CKV_AWS_79", "aws-ec2-enforce-http-token-imds"]);
        yield return R("AWS-EC2-006", "ec2", Kinds.Ec2Instance, Severity.Medium, "EC2 instance has a public IP address",
            "A public IP exposes the instance directly to the internet.", "Place instances in private subnets behind a load balancer or NAT.",
            r => WhenTrue(r, "publicIp", $"Instance {r.Address} is given a public IP address"), aliases: ["AVD-AWS-0009", "CKV_AWS_88"]);
        yield return R("AWS-EC2-007", "ec2", Kinds.Ec2Instance, Severity.High, "EC2 root volume is not encrypted",
            "The root EBS volume stores data at rest unencrypted.", "Set root_block_device.encrypted to true or enable EBS encryption by default.",
            r => WhenFalse(r, "rootVolumeEncrypted", $"Instance {r.Address} has an unencrypted root volume"),
            defaultNote: "Root volumes are unencrypted unless the account encrypts EBS by default.", aliases: ["AVD-AWS-0131", "CKV_AWS_8", "aws-ec2-enable-at-rest-encryption"]);
        yield return R("AWS-EBS-001", "ebs", Kinds.EbsVolume, Severity.High, "EBS volume is not encrypted",
            "The volume stores data at rest unencrypted.", "Set encrypted to true.",
            r => WhenFalse(r, "encrypted", $"Volume {r.Address} is not encrypted"),
            defaultNote: "EBS volumes are unencrypted unless the account encrypts EBS by default.", aliases: ["AVD-AWS-0026", "CKV_AWS_3", "aws-ebs-enable-volume-encryption"]);

        // ---------------------------------------------------------------- RDS
        yield return R("AWS-RDS-001", "rds", Kinds.RdsInstance, Severity.Critical, "RDS instance is publicly accessible",
            "A publicly accessible instance gets a public DNS name and IP.", "Set publicly_accessible to false.",
            r => WhenTrue(r, "publiclyAccessible", $"Database {r.Address} is publicly accessible"), aliases: ["AVD-AWS-0180", "CKV_AWS_17", "aws-rds-no-public-db-access"]);
        yield return R("AWS-RDS-002", "rds", $"{Kinds.RdsInstance},{Kinds.RdsCluster}", Severity.High, "RDS storage is not encrypted",
            "Database storage, snapshots and backups are unencrypted.", "Set storage_encrypted to true (optionally with a KMS key).",
            r => WhenFalse(r, "storageEncrypted", $"Database {r.Address} does not encrypt its storage"),
            defaultNote: "RDS storage is unencrypted unless requested.", aliases: ["AVD-AWS-0080", "AVD-AWS-0079", "CKV_AWS_16", "aws-rds-encrypt-instance-storage-data"]);
        yield return R("AWS-RDS-003", "rds", $"{Kinds.RdsInstance},{Kinds.RdsCluster}", Severity.Medium, "RDS backups are kept for less than 7 days",
            "A short or zero backup retention limits point-in-time recovery.", "Set backup_retention_period to 7 days or more.",
            r => BackupRetention(r), defaultNote: "RDS keeps automated backups for 1 day when the period is not set.", aliases: ["AVD-AWS-0077", "CKV_AWS_133", "aws-rds-specify-backup-retention"]);
        yield return R("AWS-RDS-004", "rds", $"{Kinds.RdsInstance},{Kinds.RdsCluster}", Severity.Low, "RDS deletion protection is disabled",
            "The database can be deleted by a single API call or a mistaken apply.", "Set deletion_protection to true.",
            r => WhenFalse(r, "deletionProtection", $"Database {r.Address} has no deletion protection"),
            defaultNote: "Deletion protection is off unless enabled.", aliases: ["AVD-AWS-0177", "CKV_AWS_293"]);

        // ---------------------------------------------------------------- EKS
        yield return R("AWS-EKS-001", "eks", Kinds.EksCluster, Severity.High, "EKS API endpoint is open to the internet",
            "The cluster's public endpoint accepts connections from any address.", "Disable the public endpoint or restrict public_access_cidrs.",
            r => EksPublic(r), defaultNote: "EKS enables the public endpoint for 0.0.0.0/0 unless configured.", aliases: ["AVD-AWS-0040", "AVD-AWS-0041", "CKV_AWS_39", "CKV_AWS_38"]);
        yield return R("AWS-EKS-002", "eks", Kinds.EksCluster, Severity.Medium, "EKS secrets are not encrypted with KMS",
            "Kubernetes secrets are stored in etcd without envelope encryption by a customer key.", "Add an encryption_config for the \"secrets\" resource with a KMS key.",
            r => WhenFalse(r, "secretsEncryption", $"Cluster {r.Address} does not encrypt secrets with KMS"),
            defaultNote: "No envelope encryption unless encryption_config is set.", aliases: ["AVD-AWS-0039", "CKV_AWS_58", "aws-eks-encrypt-secrets"]);
        yield return R("AWS-EKS-003", "eks", Kinds.EksCluster, Severity.Medium, "EKS control plane logging is disabled",
            "Without api and audit logs, access to the cluster cannot be audited.", "Enable at least the api and audit log types.",
            r => WhenEmpty(r, "logTypes", $"Cluster {r.Address} sends no control plane logs"),
            defaultNote: "Control plane logging is off unless log types are enabled.", aliases: ["AVD-AWS-0038", "CKV_AWS_37"]);

        // ---------------------------------------------------------------- ECR
        yield return R("AWS-ECR-001", "ecr", Kinds.EcrRepository, Severity.Medium, "ECR image scanning on push is disabled",
            "Pushed images are not scanned for vulnerabilities.", "Set image_scanning_configuration.scan_on_push to true.",
            r => WhenFalse(r, "scanOnPush", $"Repository {r.Address} does not scan images on push"),
            defaultNote: "scan_on_push is false unless set.", aliases: ["AVD-AWS-0030", "CKV_AWS_163", "aws-ecr-enable-image-scans"]);
        yield return R("AWS-ECR-002", "ecr", Kinds.EcrRepository, Severity.Medium, "ECR image tags are mutable",
            "A mutable tag can be repointed at a different image after it was reviewed.", "Set image_tag_mutability to IMMUTABLE.",
            r => WhenString(r, "tagMutability", v => v.Equals("MUTABLE", StringComparison.OrdinalIgnoreCase), $"Repository {r.Address} allows tags to be overwritten"),
            defaultNote: "Tags are MUTABLE unless set.", aliases: ["AVD-AWS-0031", "CKV_AWS_51", "aws-ecr-enforce-immutable-repository"]);

        // ---------------------------------------------------------------- IAM
        yield return R("AWS-IAM-001", "iam", Kinds.IamPolicy, Severity.High, "IAM policy allows wildcard actions",
            "An Allow statement grants '*' or 'service:*' actions, far more than any workload needs.", "List the specific actions required.",
            r => PolicyWildcards(r, "Action", a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal), "allows the wildcard action"),
            aliases: ["AVD-AWS-0057", "CKV_AWS_1", "CKV_AWS_62", "CKV_AWS_63", "aws-iam-no-policy-wildcards"]);
        yield return R("AWS-IAM-002", "iam", Kinds.IamPolicy, Severity.Medium, "IAM policy allows actions on all resources",
            "An Allow statement applies to Resource '*' rather than the resources the workload uses.", "Scope Resource to specific ARNs.",
            r => PolicyWildcards(r, "Resource", a => a == "*", "applies to every resource"),
            aliases: ["CKV_AWS_355", "CKV_AWS_288"]);

        // ---------------------------------------------------------------- CloudTrail
        yield return R("AWS-CT-001", "cloudtrail", Kinds.CloudTrail, Severity.Medium, "CloudTrail trail is not multi-region",
            "Activity in other regions is not recorded.", "Set is_multi_region_trail to true.",
            r => WhenFalse(r, "multiRegion", $"Trail {r.Address} records one region only"),
            defaultNote: "Trails are single-region unless set.", aliases: ["AVD-AWS-0014", "CKV_AWS_67", "aws-cloudtrail-enable-all-regions"]);
        yield return R("AWS-CT-002", "cloudtrail", Kinds.CloudTrail, Severity.Medium, "CloudTrail log file validation is disabled",
            "Tampering with delivered log files cannot be detected.", "Set enable_log_file_validation to true.",
            r => WhenFalse(r, "logValidation", $"Trail {r.Address} does not validate log files"),
            defaultNote: "Log file validation is off unless set.", aliases: ["AVD-AWS-0016", "CKV_AWS_36", "aws-cloudtrail-enable-log-validation"]);
        yield return R("AWS-CT-003", "cloudtrail", Kinds.CloudTrail, Severity.Medium, "CloudTrail logs are not encrypted with KMS",
            "Log files are encrypted with S3-managed keys only.", "Set kms_key_id to a customer-managed key.",
            r => WhenEmpty(r, "kmsKeyId", $"Trail {r.Address} does not encrypt logs with a KMS key"),
            defaultNote: "CloudTrail uses SSE-S3 unless a KMS key is given.", aliases: ["AVD-AWS-0015", "CKV_AWS_35", "aws-cloudtrail-enable-at-rest-encryption"]);

        // ---------------------------------------------------------------- KMS, SNS, DynamoDB, EFS
        yield return R("AWS-KMS-001", "kms", Kinds.KmsKey, Severity.Medium, "KMS key rotation is disabled",
            "Symmetric customer keys are not rotated yearly.", "Set enable_key_rotation to true.",
            r => r.Str("keySpec").Is(s => s == "SYMMETRIC_DEFAULT") ? WhenFalse(r, "rotation", $"Key {r.Address} is not rotated") : [],
            defaultNote: "Rotation is off unless enabled.", aliases: ["AVD-AWS-0065", "CKV_AWS_7", "aws-kms-auto-rotate-keys"]);
        yield return R("AWS-SNS-001", "sns", Kinds.SnsTopic, Severity.Medium, "SNS topic is not encrypted",
            "Messages are stored without server-side KMS encryption.", "Set kms_master_key_id.",
            r => WhenEmpty(r, "kmsKeyId", $"Topic {r.Address} is not encrypted with KMS"),
            defaultNote: "SNS topics are unencrypted unless a KMS key is set.", aliases: ["AVD-AWS-0095", "CKV_AWS_26", "aws-sns-enable-topic-encryption"]);
        yield return R("AWS-DDB-001", "dynamodb", Kinds.DynamoTable, Severity.Medium, "DynamoDB point-in-time recovery is disabled",
            "Table data cannot be restored to an earlier point in time.", "Enable point_in_time_recovery.",
            r => WhenFalse(r, "pointInTimeRecovery", $"Table {r.Address} has no point-in-time recovery"),
            defaultNote: "Point-in-time recovery is off unless enabled.", aliases: ["AVD-AWS-0024", "CKV_AWS_28", "aws-dynamodb-enable-recovery"]);
        yield return R("AWS-EFS-001", "efs", Kinds.EfsFileSystem, Severity.High, "EFS file system is not encrypted",
            "File system data is stored unencrypted at rest.", "Set encrypted to true.",
            r => WhenFalse(r, "encrypted", $"File system {r.Address} is not encrypted"),
            defaultNote: "EFS file systems created through the API are unencrypted unless requested.", aliases: ["AVD-AWS-0037", "CKV_AWS_42", "aws-efs-enable-at-rest-encryption"]);
    }

    private static string Humanize(string flag) => flag switch
    {
        "blockPublicAcls" => "block public ACLs",
        "blockPublicPolicy" => "block public bucket policies",
        "ignorePublicAcls" => "ignore public ACLs",
        _ => "restrict public buckets",
    };

    internal static bool IsWorld(string cidr) => cidr is "0.0.0.0/0" or "::/0" or "*" or "Internet" or "any" or "0.0.0.0";

    /// <summary>The rule's CIDRs when they include the whole internet; null otherwise (or when unresolved).</summary>
    private static IacValue<DValue>? WorldCidrs(ModelResource r)
    {
        var cidrs = r.Get("cidrs");
        return cidrs.IsKnown && cidrs.Value is not null && cidrs.Value.AsList().Any(c => c.TryString() is { } s && IsWorld(s)) ? cidrs : null;
    }

    private static IEnumerable<RuleHit> OpenPort(ModelResource r, int port, string name)
    {
        if (WorldCidrs(r) is not { } cidrs)
        {
            yield break;
        }

        var protocol = r.Str("protocol");
        var from = r.Num("fromPort");
        var to = r.Num("toPort");
        if (!protocol.IsKnown || !from.IsKnown || !to.IsKnown)
        {
            yield break;
        }

        var proto = protocol.Value!.ToLowerInvariant();
        if (proto is "-1" or "all")
        {
            yield break; // all traffic: AWS-EC2-003 reports it once
        }

        if (proto is "tcp" or "6" && from.Value <= port && port <= to.Value && !(from.Value <= 0 && to.Value >= 65535))
        {
            yield return Hits.At(cidrs, $"{r.Address} allows {name} (port {port}) from the internet");
        }
    }

    private static IEnumerable<RuleHit> AllPortsOpen(ModelResource r)
    {
        if (WorldCidrs(r) is not { } cidrs)
        {
            yield break;
        }

        var protocol = r.Str("protocol");
        var from = r.Num("fromPort");
        var to = r.Num("toPort");
        var all = protocol.Is(p => p is "-1" or "all") || (protocol.Is(p => p.ToLowerInvariant() is "tcp" or "6") && from.Is(f => f <= 0) && to.Is(t => t >= 65535));
        if (all)
        {
            yield return Hits.At(cidrs, $"{r.Address} allows all ports from the internet");
        }
    }

    private static IEnumerable<RuleHit> BackupRetention(ModelResource r)
    {
        var v = r.Num("backupRetention");
        if (v.IsKnown && v.Value < 7)
        {
            yield return Hits.At(v, v.Value == 0 ? $"Database {r.Address} has automated backups disabled" : $"Database {r.Address} keeps backups for only {v.Value} day(s)");
        }
    }

    private static IEnumerable<RuleHit> EksPublic(ModelResource r)
    {
        var pub = r.Bool("endpointPublicAccess");
        var cidrs = r.Get("publicAccessCidrs");
        if (pub.IsKnown && pub.Value && cidrs.IsKnown && cidrs.Value!.AsList().Any(c => c.TryString() is { } s && IsWorld(s)))
        {
            var at = pub.Defaulted ? cidrs : r.Get("endpointPublicAccess");
            var hit = Hits.At(at, $"Cluster {r.Address} exposes its API endpoint to 0.0.0.0/0");
            yield return hit with { Defaulted = pub.Defaulted && cidrs.Defaulted || hit.Defaulted };
        }
    }

    /// <summary>Reports Allow statements whose Action or Resource matches a wildcard.</summary>
    private static IEnumerable<RuleHit> PolicyWildcards(ModelResource r, string field, Func<string, bool> wildcard, string what)
    {
        var doc = r.Get("document");
        if (!doc.IsKnown || doc.Value is null)
        {
            yield break;
        }

        var statements = (doc.Value.GetIgnoreCase("Statement") ?? DValue.Null).AsList();
        foreach (var st in statements)
        {
            if (!string.Equals(st.GetIgnoreCase("Effect")?.TryString(), "Allow", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var values = st.GetIgnoreCase(field);
            if (values is null)
            {
                continue;
            }

            foreach (var v in values.AsList())
            {
                if (v.TryString() is { } s && wildcard(s))
                {
                    yield return Hits.At(v.Line == 0 ? st : v, r, $"Policy {r.Address} {what} '{s}'");
                    break;
                }
            }
        }
    }
}
