namespace Pipeline.Infra.Tests.Terraform;

public sealed class TerraformReadTests
{
    public static IEnumerable<object[]> TfFiles() =>
        InfraPaths.Files(InfraPaths.Terraform, "*.tf").Select(f => new object[] { Path.GetRelativePath(InfraPaths.Terraform, f) });

    public static IEnumerable<object[]> TfvarsFiles() =>
        InfraPaths.Files(InfraPaths.Terraform, "*.tfvars").Select(f => new object[] { Path.GetRelativePath(InfraPaths.Terraform, f) });

    [Theory]
    [MemberData(nameof(TfFiles))]
    public void Parse_EveryTerraformFile_IsReadWithBlocks(string file)
    {
        var body = HclFile.Parse(Path.Combine(InfraPaths.Terraform, file));

        Assert.NotEmpty(body.Blocks);
    }

    [Fact]
    public void TerraformFolder_HasTheStackTheAwsModuleAndExamples()
    {
        var files = TfFiles().Select(f => (string)f[0]).ToList();
        Assert.Contains("variables.tf", files);
        Assert.Contains(Path.Combine("modules", "aws-ecr-tenant", "main.tf"), files);
        Assert.True(TfvarsFiles().Count() >= 3, "an example per tenant, and one for the ECR module");
    }

    [Theory]
    [MemberData(nameof(TfvarsFiles))]
    public void Example_EveryTfvars_SetsEveryRequiredVariableOfItsConfiguration(string file)
    {
        var path = Path.Combine(InfraPaths.Terraform, file);

        // Root examples sit in examples/ next to the configuration; module examples are their own root.
        var directory = Path.GetDirectoryName(path)!;
        var configuration = System.IO.Directory.EnumerateFiles(directory, "*.tf").Any() ? directory : Path.GetDirectoryName(directory)!;
        var tfvars = HclFile.Parse(path).Attributes.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var config = new TerraformConfig(configuration, path);

        // A required secret is not written into an example: it comes from TF_VAR_<name>, which the example must say.
        var text = File.ReadAllText(path);
        Assert.All(config.RequiredVariables, name => Assert.True(
            tfvars.Contains(name) || (IsSensitive(config, name) && text.Contains("TF_VAR_" + name, StringComparison.Ordinal)),
            $"{file} does not set {name}"));
    }

    private static bool IsSensitive(TerraformConfig config, string name) =>
        HclFile.Literal(config.Variables.Single(v => v.Labels[0] == name).Body.Attribute("sensitive")?.Expr) is true;

    [Fact]
    public void Variables_EveryVariable_HasADescriptionAndAType()
    {
        foreach (var dir in InfraPaths.Files(InfraPaths.Terraform, "*.tf").Select(Path.GetDirectoryName).Distinct())
        {
            foreach (var variable in new TerraformConfig(dir!).Variables)
            {
                Assert.True(variable.Body.Attribute("description") is not null, $"{dir}: variable {variable.Labels[0]} has no description");
                Assert.True(variable.Body.Attribute("type") is not null, $"{dir}: variable {variable.Labels[0]} has no type");
            }
        }
    }

    [Fact]
    public void ModuleCalls_EveryLocalModule_GetsEveryRequiredVariable()
    {
        var calls = 0;
        foreach (var dir in InfraPaths.Files(InfraPaths.Terraform, "*.tf").Select(Path.GetDirectoryName).Distinct())
        {
            foreach (var module in new TerraformConfig(dir!).Blocks.Where(b => b.Type == "module"))
            {
                var source = HclFile.Literal(module.Body.Attribute("source")?.Expr) is string s ? s : throw new FormatException("non-literal module source");
                var target = new TerraformConfig(Path.GetFullPath(Path.Combine(dir!, source)));
                Assert.All(target.RequiredVariables, v => Assert.True(module.Body.Attribute(v) is not null, $"module {module.Labels[0]} in {dir} misses {v}"));
                calls++;
            }
        }

        Assert.True(calls > 0);
    }

    [Fact]
    public void AzurermResources_EveryType_HasAnArmMapping()
    {
        var types = new TerraformConfig(InfraPaths.Terraform).Blocks
            .Where(b => b.Type == "resource" && b.Labels[0].StartsWith("azurerm_", StringComparison.Ordinal))
            .Select(b => b.Labels[0]);

        Assert.All(types, t => Assert.True(AzurermToArm.Types.ContainsKey(t), $"{t} has no ARM type in the parity table"));
    }
}
