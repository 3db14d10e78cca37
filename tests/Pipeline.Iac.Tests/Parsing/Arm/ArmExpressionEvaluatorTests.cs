using Pipeline.Iac.Adapters;
using Pipeline.Iac.Model;
using Pipeline.Iac.Parsing;
using Pipeline.Iac.Parsing.Arm;
using Pipeline.Iac.Parsing.Json;

namespace Pipeline.Iac.Tests.Parsing.Arm;

public sealed class ArmExpressionEvaluatorTests
{
    private static readonly ArmDeployment Deployment = new("sub-1", "rg-1", "tenant-1");

    private static DValue Eval(string expression, string variables = "{}") =>
        new ArmExpressionEvaluator(
            JsonDocumentParser.Parse($$"""{ "parameters": { "p": { "type": "string" } }, "variables": {{variables}} }"""),
            new Dictionary<string, DValue> { ["p"] = DValue.Str("contoso") },
            Deployment).Evaluate(DValue.Str(expression));

    [Fact]
    public void Guid_ThreeArguments_IsUuidv5OfTheHyphenJoinedArguments()
    {
        // uuid.uuid5(uuid.UUID("11fb06fb-712d-4ddd-98c7-e71bbd588830"), "a-b-c") in CPython.
        Assert.Equal("a98fa280-e03f-5afa-8d8e-92d0a9c201e8", Eval("[guid('a', 'b', 'c')]").AsString);
    }

    [Theory]
    [InlineData("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]", "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Network/virtualNetworks/v/subnets/s")]
    [InlineData("[resourceId('rg-2', 'Microsoft.Storage/storageAccounts', 'st')]", "/subscriptions/sub-1/resourceGroups/rg-2/providers/Microsoft.Storage/storageAccounts/st")]
    [InlineData("[resourceId('sub-2', 'rg-2', 'Microsoft.Storage/storageAccounts', 'st')]", "/subscriptions/sub-2/resourceGroups/rg-2/providers/Microsoft.Storage/storageAccounts/st")]
    [InlineData("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'r')]", "/subscriptions/sub-1/providers/Microsoft.Authorization/roleDefinitions/r")]
    [InlineData("[tenantResourceId('Microsoft.Management/managementGroups', 'mg')]", "/providers/Microsoft.Management/managementGroups/mg")]
    [InlineData("[extensionResourceId(resourceId('Microsoft.KeyVault/vaults', 'kv'), 'Microsoft.Authorization/locks', 'l')]", "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.KeyVault/vaults/kv/providers/Microsoft.Authorization/locks/l")]
    [InlineData("[resourceGroup().id]", "/subscriptions/sub-1/resourceGroups/rg-1")]
    [InlineData("[subscription().subscriptionId]", "sub-1")]
    [InlineData("[tenant().tenantId]", "tenant-1")]
    public void ResourceIds_AndScopeFunctions_ResolveAgainstTheDeployment(string expression, string expected)
    {
        Assert.Equal(expected, Eval(expression).AsString);
    }

    [Fact]
    public void ResourceId_NamesNotMatchingTheType_IsUnknown()
    {
        Assert.False(Eval("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v')]").IsKnown);
    }

    [Fact]
    public void Format_VariablesPropertiesAndEscapes_Resolve()
    {
        const string variables = """{ "names": { "storage": "[format('st{0}', parameters('p'))]" } }""";

        Assert.Equal("stcontoso-x", Eval("[format('{0}-{1}', variables('names').storage, 'x')]", variables).AsString);
        Assert.Equal("it's", Eval("[concat('it''', 's')]").AsString);
        Assert.Equal("[literal]", Eval("[[literal]").AsString);
        Assert.Equal("privatelink.blob.core.windows.net", Eval("[format('privatelink.blob.{0}', environment().suffixes.storage)]").AsString);
    }

    [Fact]
    public void MapLambda_AppliesTheBodyToEachElement()
    {
        Assert.Equal(
            """["q-poison","r-poison"]""",
            Eval("[concat(createArray(), map(createArray('q', 'r'), lambda('q', format('{0}-poison', lambdaVariables('q')))))]").ToJson());
        Assert.Equal("[]", Eval("[map(createArray(), lambda('q', lambdaVariables('q')))]").ToJson());
        Assert.False(Eval("[map(reference('x').items, lambda('q', lambdaVariables('q')))]").IsKnown);
    }

    [Fact]
    public void Reference_IsNotKnownBeforeDeployment_ButAnUntakenBranchDoesNotMatter()
    {
        Assert.False(Eval("[reference('x').principalId]").IsKnown);
        Assert.Equal("a", Eval("[if(equals(parameters('p'), 'contoso'), 'a', reference('x').id)]").AsString);
        Assert.False(Eval("[if(equals(reference('x').id, 'y'), 'a', 'b')]").IsKnown);
    }

    [Theory]
    [InlineData("[format('a']")]
    [InlineData("[concat('a' 'b')]")]
    [InlineData("['unterminated]")]
    [InlineData("[map(createArray(1), format('{0}', 1))]")]
    public void Parse_Malformed_Throws(string expression)
    {
        Assert.Throws<IacParseException>(() => Eval(expression));
    }

    private const string Template = """
        {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "languageVersion": "2.0",
          "contentVersion": "1.0.0.0",
          "parameters": { "registryId": { "type": "string" }, "secured": { "type": "bool", "defaultValue": true } },
          "resources": {
            "vault": { "existing": true, "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-shared" },
            "registryAccess": {
              "type": "Microsoft.Resources/deployments",
              "apiVersion": "2022-09-01",
              "name": "registry",
              "subscriptionId": "[split(parameters('registryId'), '/')[2]]",
              "resourceGroup": "[split(parameters('registryId'), '/')[4]]",
              "properties": {
                "expressionEvaluationOptions": { "scope": "inner" },
                "mode": "Incremental",
                "parameters": {
                  "registryName": { "value": "[last(split(parameters('registryId'), '/'))]" },
                  "secret": "[if(parameters('secured'), createObject('value', 'from-vault'), createObject())]",
                  "principal": "[if(parameters('secured'), createObject('value', reference('x').principalId), createObject())]"
                },
                "template": {
                  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                  "contentVersion": "1.0.0.0",
                  "parameters": {
                    "registryName": { "type": "string" },
                    "secret": { "type": "string", "defaultValue": "none" },
                    "principal": { "type": "string", "defaultValue": "nobody" }
                  },
                  "resources": [
                    {
                      "type": "Microsoft.Authorization/roleAssignments",
                      "apiVersion": "2022-04-01",
                      "name": "[guid(resourceId('Microsoft.ContainerRegistry/registries', parameters('registryName')), 'pull')]",
                      "properties": { "secret": "[parameters('secret')]", "principalId": "[parameters('principal')]" }
                    }
                  ]
                }
              }
            }
          }
        }
        """;

    [Fact]
    public void Resources_NestedDeploymentToAnotherResourceGroup_EvaluatesInThatScopeAndSkipsExistingResources()
    {
        var registryId = "/subscriptions/sub-2/resourceGroups/rg-registry/providers/Microsoft.ContainerRegistry/registries/acr";
        var resources = ArmAdapter.Resources(JsonDocumentParser.Parse(Template), new Dictionary<string, DValue> { ["registryId"] = DValue.Str(registryId) }, Deployment);

        Assert.DoesNotContain(resources, r => r.Type == "Microsoft.KeyVault/vaults");
        var assignment = Assert.Single(resources, r => r.Type == "Microsoft.Authorization/roleAssignments");
        Assert.Equal(Uuid5.ArmGuid([registryId, "pull"]), assignment.Name);
        Assert.Equal("from-vault", assignment.Body.Path("properties.secret")!.AsString);
        Assert.False(assignment.Body.Path("properties.principalId")!.IsKnown);
    }

    [Fact]
    public void Resources_ConditionalModuleInputLeftOut_UsesTheDefault()
    {
        var resources = ArmAdapter.Resources(
            JsonDocumentParser.Parse(Template),
            new Dictionary<string, DValue> { ["registryId"] = DValue.Str("/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/acr"), ["secured"] = DValue.False });

        var assignment = Assert.Single(resources, r => r.Type == "Microsoft.Authorization/roleAssignments");
        Assert.Equal("none", assignment.Body.Path("properties.secret")!.AsString);
        Assert.Equal("nobody", assignment.Body.Path("properties.principalId")!.AsString);
    }
}
