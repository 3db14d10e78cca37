namespace Pipeline.Infra.Tests.Terraform;

public sealed class HclTests
{
    private static object? Eval(string expression, Func<string, object?>? root = null)
    {
        var body = Hcl.Parse($"x = {expression}\n");
        return new HclEvaluator(root ?? (_ => throw new KeyNotFoundException())).Evaluate(body.Attributes["x"]);
    }

    [Fact]
    public void Parse_BlocksLabelsAndNestedBlocks_AreRead()
    {
        var body = Hcl.Parse("resource \"a_b\" \"c\" {\n  name = \"n\" # comment\n  inner {\n    k = 1\n  }\n}\n/* block\ncomment */\nlocals {}\n");

        var resource = Assert.Single(body.Blocks, b => b.Type == "resource");
        Assert.Equal(["a_b", "c"], resource.Labels);
        Assert.Single(resource.Body.Blocks, b => b.Type == "inner");
        Assert.Contains(body.Blocks, b => b.Type == "locals");
    }

    [Fact]
    public void Evaluate_TemplatesConditionalsAndForExpressions_ComputeValues()
    {
        Assert.Equal("st-a-b", Eval("\"st-${\"a\"}-${lower(\"B\")}\""));
        Assert.Equal(1m, Eval("true && !false ? 1 : 0"));
        Assert.Equal(new List<object?> { "q-poison", "r-poison" }, Eval("[for q in [\"q\", \"r\"] : \"${q}-poison\"]"));
        Assert.Equal("10.0.0.128/25", Eval("cidrsubnet(\"10.0.0.0/24\", 1, 1)"));
        Assert.Equal("${literal}", Eval("\"$${literal}\""));
    }

    [Fact]
    public void Evaluate_ToSet_IsSortedAndDistinct()
    {
        Assert.Equal(new List<object?> { "a", "b" }, Eval("toset([\"b\", \"a\", \"b\"])"));
    }

    [Fact]
    public void Evaluate_ResourceAttribute_IsUnknownAndPropagates()
    {
        var value = Eval("\"${azurerm_storage_account.this.id}/x\"", _ => Unknown.Value);

        Assert.Same(Unknown.Value, value);
    }

    [Fact]
    public void Uuidv5_RfcDnsVector_MatchesPythonsUuid5()
    {
        // uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com") in CPython.
        Assert.Equal("2ed6657d-e927-568b-95e1-2665a8aea6a2", Eval("uuidv5(\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\", \"www.example.com\")"));
    }

    [Theory]
    [InlineData("x = \"unterminated\n")]
    [InlineData("resource \"a\" \"b\" {\n  name = 1\n")]
    [InlineData("x = (1\n")]
    [InlineData("x = 1 y = 2\n")]
    public void Parse_MalformedInput_ThrowsFormatExceptionWithLine(string text)
    {
        var error = Assert.Throws<FormatException>(() => Hcl.Parse(text, "bad.tf"));

        Assert.StartsWith("bad.tf:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepNesting_IsRejectedNotOverflowed()
    {
        var text = "x = " + new string('[', 5000) + new string(']', 5000) + "\n";

        Assert.Throws<FormatException>(() => Hcl.Parse(text));
    }
}
