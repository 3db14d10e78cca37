namespace Pipeline.Iac.Tests.Suppression;

public sealed class SuppressionTests
{
    [Fact]
    public void Scan_InlineAndForeignSuppressions_MoveFindingsToSuppressed()
    {
        var result = IacTestData.ScanFiles(new Dictionary<string, string>
        {
            ["main.tf"] = """
                # pipeline:ignore:AWS-EBS-001 scratch volume, no data
                resource "aws_ebs_volume" "scratch" {
                  availability_zone = "a"
                }

                resource "aws_ecr_repository" "app" {
                  #checkov:skip=CKV_AWS_163:scanned by the pipeline itself
                  name                 = "app"
                  image_tag_mutability = "MUTABLE" # tfsec:ignore:aws-ecr-enforce-immutable-repository
                }

                #trivy:ignore:AVD-AWS-0065
                resource "aws_kms_key" "k" {
                }

                resource "aws_sns_topic" "t" { # pipeline:ignore:AWS-EBS-001 wrong rule, must not match
                }
                """,
            ["deploy.yaml"] = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                spec:
                  # pipeline:ignore:K8S-016 needs the API
                  automountServiceAccountToken: true
                  containers:
                    - name: c
                      image: nginx:1.27
                """,
        });
        var suppressed = result.Suppressed.Select(s => s.RuleId).Order().ToList();
        Assert.Equal(["AWS-EBS-001", "AWS-ECR-001", "AWS-ECR-002", "AWS-KMS-001", "K8S-016"], suppressed);
        Assert.Contains("scratch volume", result.Suppressed.Single(s => s.RuleId == "AWS-EBS-001").SuppressedBy, StringComparison.Ordinal);
        Assert.StartsWith("inline checkov:skip=CKV_AWS_163", result.Suppressed.Single(s => s.RuleId == "AWS-ECR-001").SuppressedBy, StringComparison.Ordinal);
        Assert.Contains(result.Misconfigurations, m => m.RuleId == "AWS-SNS-001");
        Assert.DoesNotContain(result.Misconfigurations, m => suppressed.Contains(m.RuleId) && m.File == "main.tf" && m.RuleId != "AWS-SNS-001");
    }
}
