namespace Pipeline.Iac.Tests.Parsing.CloudFormation;

public sealed class CloudFormationTests
{
    private const string Template = """
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          Env:
            Type: String
            Default: prod
          Versioning:
            Type: String
            Default: Suspended
        Mappings:
          Tls:
            prod:
              Encrypted: true
            dev:
              Encrypted: false
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
          IsDev: !Not [!Condition IsProd]
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Sub "data-${Env}-${AWS::Region}"
              VersioningConfiguration:
                Status: !Ref Versioning
          Volume:
            Type: AWS::EC2::Volume
            Properties:
              AvailabilityZone: !Select [0, !GetAZs ""]
              Encrypted: !FindInMap [Tls, !Ref Env, Encrypted]
          DevOnlyVolume:
            Type: AWS::EC2::Volume
            Condition: IsDev
            Properties:
              AvailabilityZone: a
          Trail:
            Type: AWS::CloudTrail::Trail
            Properties:
              IsLogging: true
              S3BucketName: !Join ["-", [trail, !Ref Env]]
              IsMultiRegionTrail: !If [IsProd, true, false]
              EnableLogFileValidation: !If [IsDev, true, !Ref "AWS::NoValue"]
              KMSKeyId: !GetAtt Key.Arn
          Repo:
            Type: AWS::ECR::Repository
            Properties:
              ImageTagMutability: !ImportValue shared-mutability
        """;

    [Fact]
    public void Scan_ShortTagsParametersConditionsAndMappings_Resolve()
    {
        var result = IacTestData.ScanFiles(new Dictionary<string, string> { ["stack.yaml"] = Template });
        Assert.Empty(result.Errors);
        var ids = result.Misconfigurations.Select(m => $"{m.RuleId}@{m.Resource}:{m.StartLine}:{(m.Defaulted ? "d" : "e")}").Order().ToList();

        // Parameter default "Suspended" flows through !Ref into versioning (explicit, line 24).
        Assert.Contains("AWS-S3-004@Bucket:24:e", ids);

        // !FindInMap resolves Encrypted to true for prod: no EBS finding; the dev-only volume is not deployed.
        Assert.DoesNotContain(ids, i => i.StartsWith("AWS-EBS-001", StringComparison.Ordinal));

        // !If on IsProd gives multi-region true; AWS::NoValue removes validation so the default (false) applies.
        Assert.DoesNotContain(ids, i => i.StartsWith("AWS-CT-001", StringComparison.Ordinal));
        Assert.Contains(ids, i => i.StartsWith("AWS-CT-002@Trail", StringComparison.Ordinal) && i.EndsWith(":d", StringComparison.Ordinal));

        // !GetAtt of another resource is unknown: the KMS rule stays silent rather than guess.
        Assert.DoesNotContain(ids, i => i.StartsWith("AWS-CT-003", StringComparison.Ordinal));

        // !ImportValue is unknown: no tag mutability finding.
        Assert.DoesNotContain(ids, i => i.StartsWith("AWS-ECR-002", StringComparison.Ordinal));
    }

    [Fact]
    public void Scan_JsonTemplate_IsRecognized()
    {
        var result = IacTestData.ScanFiles(new Dictionary<string, string>
        {
            ["stack.json"] = """
                {
                  "AWSTemplateFormatVersion": "2010-09-09",
                  "Resources": {
                    "Key": {
                      "Type": "AWS::KMS::Key",
                      "Properties": { "EnableKeyRotation": { "Fn::If": ["Never", true, false] } }
                    }
                  },
                  "Conditions": { "Never": { "Fn::Equals": ["a", "b"] } }
                }
                """,
        });
        var f = Assert.Single(result.Misconfigurations, m => m.RuleId == "AWS-KMS-001");
        Assert.Equal(6, f.StartLine);
        Assert.False(f.Defaulted);
    }
}
