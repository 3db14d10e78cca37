using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests.Arm;

public sealed class ArmExpressionTests
{
    private static string Eval(string expression, JsonObject? variables = null) =>
        ArmEvaluator.EvaluateString(expression, new ArmScope("sub-1", "rg-1", "tenant-1", new() { ["p"] = () => JsonValue.Create("contoso") }, variables));

    [Fact]
    public void Guid_ThreeArguments_IsUuidv5OfTheHyphenJoinedArguments()
    {
        // uuid.uuid5(uuid.UUID("11fb06fb-712d-4ddd-98c7-e71bbd588830"), "a-b-c") in CPython.
        Assert.Equal("a98fa280-e03f-5afa-8d8e-92d0a9c201e8", Eval("[guid('a', 'b', 'c')]"));
    }

    [Fact]
    public void ResourceId_ChildType_InterleavesTypesAndNames()
    {
        Assert.Equal(
            "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
            Eval("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]"));
        Assert.Equal(
            "/subscriptions/sub-1/providers/Microsoft.Authorization/roleDefinitions/r",
            Eval("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'r')]"));
    }

    [Fact]
    public void Format_VariablesAndProperties_Resolve()
    {
        var variables = new JsonObject { ["names"] = new JsonObject { ["storage"] = "[format('st{0}', parameters('p'))]" } };

        Assert.Equal("stcontoso-x", Eval("[format('{0}-{1}', variables('names').storage, 'x')]", variables));
        Assert.Equal("it's", Eval("[concat('it''', 's')]"));
        Assert.Equal("[literal]", Eval("[[literal]"));
    }

    [Fact]
    public void Reference_IsNotKnownBeforeDeployment()
    {
        Assert.Throws<ArmUnresolvedException>(() => Eval("[reference('x').principalId]"));
    }

    [Theory]
    [InlineData("[format('a']")]
    [InlineData("[concat('a' 'b')]")]
    [InlineData("['unterminated]")]
    public void Parse_Malformed_Throws(string expression)
    {
        Assert.Throws<FormatException>(() => Eval(expression));
    }
}
