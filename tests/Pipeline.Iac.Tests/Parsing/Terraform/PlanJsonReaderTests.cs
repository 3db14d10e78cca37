namespace Pipeline.Iac.Tests.Parsing.Terraform;

public sealed class PlanJsonReaderTests
{
    [Fact]
    public void Scan_PlanJson_ChecksPlannedValuesAndChildModules()
    {
        var result = IacTestData.Scan(IacTestData.Path("plan", "tfplan.json"));
        Assert.Empty(result.Errors);
        Assert.Equal(1, result.FilesScanned);
        var ids = result.Misconfigurations.Select(m => $"{m.RuleId} {m.Resource} {m.StartLine} {m.Defaulted}").Order().ToList();

        // The bucket's versioning is set by an attachment whose bucket id is unknown in the plan:
        // the configuration section's references link it, so AWS-S3-004 does not fire.
        Assert.DoesNotContain(ids, i => i.StartsWith("AWS-S3-004", StringComparison.Ordinal));
        Assert.Contains(result.Misconfigurations, m => m.RuleId == "AWS-EBS-001" && m.Resource == "module.storage.aws_ebs_volume.data" && !m.Defaulted);
        Assert.Contains(result.Misconfigurations, m => m.RuleId == "AWS-ECR-002" && m.Resource == "aws_ecr_repository.app" && m.Defaulted);
        Assert.Contains(result.Misconfigurations, m => m.RuleId == "AWS-EC2-001" && m.Resource == "aws_security_group.ssh");
    }
}
