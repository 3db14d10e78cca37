using Pipeline.Iac.Model;
using Pipeline.Iac.Parsing;
using Pipeline.Iac.Parsing.Hcl;

namespace Pipeline.Iac.Tests.Parsing.Hcl;

public sealed class HclParserTests
{
    private sealed class NoRoots : IHclRoots
    {
        public DValue? Resolve(string root, string? firstAttr, out bool consumedAttr)
        {
            consumedAttr = false;
            return null;
        }
    }

    private static DValue Eval(string expr) => HclEvaluator.Evaluate(HclParser.ParseExpression(expr), new HclScope(new NoRoots()));

    [Fact]
    public void ParseFile_BlocksAttributesAndComments_KeepsStructureAndLines()
    {
        var body = HclParser.ParseFile("""
            # comment
            // another
            /* block
               comment */
            resource "aws_s3_bucket" "b" {
              bucket = "x" # trailing
              versioning {
                enabled = true
              }
            }
            """);
        var block = Assert.Single(body.Blocks);
        Assert.Equal("resource", block.Type);
        Assert.Equal(["aws_s3_bucket", "b"], block.Labels);
        Assert.Equal(5, block.Line);
        Assert.Equal(10, block.EndLine);
        Assert.Equal(6, block.Body.Attributes[0].Line);
        Assert.Equal("versioning", block.Body.Blocks[0].Type);
    }

    [Theory]
    [InlineData("1 + 2 * 3", "7")]
    [InlineData("(1 + 2) * 3", "9")]
    [InlineData("10 % 4 - 1", "1")]
    [InlineData("!true || false", "false")]
    [InlineData("3 >= 2 && 1 != 2", "true")]
    [InlineData("true ? \"a\" : \"b\"", "a")]
    [InlineData("-5 + 2", "-3")]
    [InlineData("[1, 2, 3][1]", "2")]
    [InlineData("{ a = 1, \"b\" = 2 }.a", "1")]
    [InlineData("{ a = { b = \"deep\" } }[\"a\"].b", "deep")]
    [InlineData("[{ n = 1 }, { n = 2 }][*].n", "[1,2]")]
    [InlineData("[{ n = 1 }, { n = 2 }].*.n", "[1,2]")]
    [InlineData("[for x in [1, 2, 3] : x * 2 if x > 1]", "[4,6]")]
    [InlineData("{ for k, v in { a = 1, b = 2 } : upper(k) => v }", "{\"A\":1,\"B\":2}")]
    [InlineData("{ for s in [\"a\", \"b\", \"a\"] : s => s... }", "{\"a\":[\"a\",\"a\"],\"b\":[\"b\"]}")]
    [InlineData("\"x-${1 + 1}-y\"", "x-2-y")]
    [InlineData("\"$${literal}\"", "${literal}")]
    [InlineData("\"%{ if true }yes%{ else }no%{ endif }\"", "yes")]
    [InlineData("\"%{ for x in [\"a\", \"b\"] }${x},%{ endfor }\"", "a,b,")]
    [InlineData("\"tab\\tquote\\\"\"", "tab\tquote\"")]
    public void Evaluate_ExpressionForms_ProduceTerraformResults(string expr, string expected)
    {
        Assert.Equal(expected, Eval(expr).ToString());
    }

    [Theory]
    [InlineData("lookup({ a = \"x\" }, \"b\", \"dflt\")", "dflt")]
    [InlineData("merge({ a = 1 }, { b = 2 })", "{\"a\":1,\"b\":2}")]
    [InlineData("concat([1], [2, 3])", "[1,2,3]")]
    [InlineData("format(\"%s-%03d\", \"web\", 7)", "web-007")]
    [InlineData("coalesce(\"\", null, \"c\")", "c")]
    [InlineData("tostring(5)", "5")]
    [InlineData("tobool(\"true\")", "true")]
    [InlineData("tonumber(\"42\")", "42")]
    [InlineData("join(\",\", [\"a\", \"b\"])", "a,b")]
    [InlineData("split(\",\", \"a,b\")", "[\"a\",\"b\"]")]
    [InlineData("lower(\"ABC\")", "abc")]
    [InlineData("length([1, 2])", "2")]
    [InlineData("contains([\"a\"], \"a\")", "true")]
    [InlineData("keys({ b = 1, a = 2 })", "[\"a\",\"b\"]")]
    [InlineData("values({ b = 1, a = 2 })", "[2,1]")]
    [InlineData("element([\"a\", \"b\"], 3)", "b")]
    [InlineData("try(tonumber(\"x\"), 5)", "5")]
    [InlineData("can(tonumber(\"1\"))", "true")]
    [InlineData("jsonencode({ a = [1, true] })", "{\"a\":[1,true]}")]
    [InlineData("toset([\"a\", \"a\", \"b\"])", "[\"a\",\"b\"]")]
    [InlineData("toset([\"b\", \"a\", \"b\"])", "[\"a\",\"b\"]")]

    // uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com") in CPython; Terraform also takes the namespace by name.
    [InlineData("uuidv5(\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\", \"www.example.com\")", "2ed6657d-e927-568b-95e1-2665a8aea6a2")]
    [InlineData("uuidv5(\"dns\", \"www.example.com\")", "2ed6657d-e927-568b-95e1-2665a8aea6a2")]
    [InlineData("cidrsubnet(\"10.0.0.0/24\", 1, 1)", "10.0.0.128/25")]
    [InlineData("replace(\"a-b-c\", \"-\", \"_\")", "a_b_c")]
    [InlineData("trimspace(\"  x \")", "x")]
    [InlineData("cidrsubnet(\"10.0.0.0/16\", 8, 2)", "10.0.2.0/24")]
    public void Evaluate_Functions_MatchTerraform(string expr, string expected)
    {
        Assert.Equal(expected, Eval(expr).ToString());
    }

    [Fact]
    public void Evaluate_UnknownReference_StaysUnknownThroughOperations()
    {
        Assert.False(Eval("var.missing == true").IsKnown);
        Assert.False(Eval("upper(var.missing)").IsKnown);
        Assert.False(Eval("\"a-${var.missing}\"").IsKnown);
        Assert.True(Eval("false && var.missing").IsKnown);
    }

    [Fact]
    public void Evaluate_Uuidv5_BadNamespace_IsUnknown()
    {
        Assert.False(Eval("uuidv5(\"not-a-namespace\", \"x\")").IsKnown);
    }

    [Fact]
    public void ParseFile_Heredocs_KeepTextAndStripIndent()
    {
        var body = HclParser.ParseFile("a = <<EOF\nline ${1 + 1}\n  two\nEOF\nb = <<-EOT\n    x\n      y\n    EOT\nc = 1\n");
        var scope = new HclScope(new NoRoots());
        Assert.Equal("line 2\n  two\n", HclEvaluator.Evaluate(body.Attribute("a")!.Expr, scope).AsString);
        Assert.Equal("x\n  y\n", HclEvaluator.Evaluate(body.Attribute("b")!.Expr, scope).AsString);
        Assert.Equal(9, body.Attribute("c")!.Line);
    }

    [Theory]
    [InlineData("resource \"a\" \"b\" {\n  x = \n}\n", 2)]
    [InlineData("resource \"a\" \"b\" {\n  x = \"unterminated\n}\n", 2)]
    [InlineData("a = 1\nresource \"a\" \"b\" {\n", 3)]
    [InlineData("a = [1, 2\nb = 3\n", 2)]
    [InlineData("x = (1\n", 2)]
    [InlineData("x = 1 y = 2\n", 1)]
    public void ParseFile_SyntaxError_ReportsLine(string text, int line)
    {
        var e = Assert.Throws<IacParseException>(() => HclParser.ParseFile(text));
        Assert.Equal(line, e.Line);
    }

    [Fact]
    public void ParseFile_DeepNesting_IsBounded()
    {
        var deep = "a = " + new string('[', 500) + new string(']', 500) + "\n";
        var e = Assert.Throws<IacParseException>(() => HclParser.ParseFile(deep, maxDepth: 64));
        Assert.Contains("nesting", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CidrSubnet_Ipv6_Extends()
    {
        Assert.Equal("fd00:0:0:1::/64", HclFunctions.CidrSubnet("fd00::/48", 16, 1));
    }
}
