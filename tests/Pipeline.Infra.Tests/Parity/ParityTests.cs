using Pipeline.Infra.Tests.Arm;
using Pipeline.Infra.Tests.Bicep;
using Pipeline.Infra.Tests.Terraform;

namespace Pipeline.Infra.Tests.Parity;

/// <summary>
/// Bicep and Terraform declare the same resources under the same names from the same inputs: for each
/// example tenant, the ARM resources the compiled Bicep deploys (with the .bicepparam values) equal the
/// azurerm resources a Terraform plan with the .tfvars values creates, as (ARM type, name) pairs.
/// Role assignment names are compared too: both sides compute ARM's guid(scope, identity, role).
/// </summary>
public sealed class ParityTests
{
    private const string TenantId = "11111111-1111-1111-1111-111111111111";

    public static IEnumerable<object[]> Tenants() => InfraPaths.ExampleTenants();

    [Theory]
    [MemberData(nameof(Tenants))]
    public void BicepAndTerraform_ExampleTenant_DeclareTheSameResourcesWithTheSameNames(string tenant)
    {
        var tfvarsPath = Path.Combine(InfraPaths.Terraform, "examples", tenant + ".tfvars");
        Assert.True(File.Exists(tfvarsPath), $"{tenant} has a .bicepparam but no examples/{tenant}.tfvars");
        var terraform = TerraformResources(tfvarsPath, out var subscriptionId, out var resourceGroup);
        var bicep = BicepResources(Path.Combine(InfraPaths.Bicep, "tenants", tenant + ".bicepparam"), subscriptionId, resourceGroup);

        var onlyBicep = Subtract(bicep, terraform);
        var onlyTerraform = Subtract(terraform, bicep);
        Assert.True(
            onlyBicep.Count == 0 && onlyTerraform.Count == 0,
            $"Only in Bicep:\n  {string.Join("\n  ", onlyBicep)}\nOnly in Terraform:\n  {string.Join("\n  ", onlyTerraform)}");
        Assert.True(bicep.Count > 30, $"expected the whole stack, got {bicep.Count} resources");
    }

    [Fact]
    public void Tenants_ExamplesCoverBothHostingModels()
    {
        var models = Tenants()
            .Select(t => HclFile.Literal(HclFile.Parse(Path.Combine(InfraPaths.Terraform, "examples", t[0] + ".tfvars")).Attribute("hosting_model")?.Expr))
            .ToHashSet();

        Assert.Equal(new HashSet<object?> { "functions", "containerApps" }, models);
    }

    private static List<string> BicepResources(string bicepparam, string subscriptionId, string resourceGroup)
    {
        var (parameters, template) = BicepCli.BuildParams(bicepparam);
        return ArmResources.List(template, parameters, subscriptionId, resourceGroup, TenantId)
            .Select(r => Key(r.Type, r.Name))
            .ToList();
    }

    private static List<string> TerraformResources(string tfvars, out string subscriptionId, out string resourceGroup)
    {
        var values = HclFile.Parse(tfvars);
        subscriptionId = HclFile.LiteralString(values, "subscription_id");
        resourceGroup = HclFile.LiteralString(values, "resource_group_name");
        var config = new TerraformConfig(InfraPaths.Terraform, tfvars);
        var result = new List<string>();
        foreach (var instance in config.Instances())
        {
            if (!AzurermToArm.Types.TryGetValue(instance.Type, out var armType))
            {
                throw new InvalidOperationException($"{instance.Type} has no ARM type in the parity table.");
            }

            result.Add(Key(armType, AzurermToArm.Name(instance)));
            result.AddRange(AzurermToArm.InlineChildren(instance).Select(c => Key(c.Type, c.Name)));
        }

        return result;
    }

    private static string Key(string type, string leafName) => $"{type.ToLowerInvariant()} {leafName}";

    private static List<string> Subtract(List<string> a, List<string> b)
    {
        var rest = b.ToList();
        var only = new List<string>();
        foreach (var x in a.Order(StringComparer.Ordinal))
        {
            if (!rest.Remove(x))
            {
                only.Add(x);
            }
        }

        return only;
    }
}
