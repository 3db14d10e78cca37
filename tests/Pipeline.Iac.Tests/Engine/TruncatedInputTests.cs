namespace Pipeline.Iac.Tests.Engine;

/// <summary>Every fixture cut short at many points must scan without throwing: a located error or findings, never a crash.</summary>
public sealed class TruncatedInputTests
{
    [Fact]
    public async Task ScanAsync_TruncatedFixtures_NeverThrow()
    {
        var fixtures = Directory.GetFiles(IacTestData.Path("rules"), "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("expect.txt", StringComparison.Ordinal) && !f.EndsWith(".bicep", StringComparison.Ordinal))
            .Where((_, i) => i % 3 == 0)
            .ToList();
        var scanner = new IacScanner(new IacScanOptions());
        var scanned = 0;
        foreach (var fixture in fixtures)
        {
            var text = await File.ReadAllTextAsync(fixture);
            foreach (var cut in new[] { text.Length / 4, text.Length / 2, text.Length * 3 / 4, text.Length - 2 })
            {
                var dir = IacTestData.WriteFiles(new Dictionary<string, string> { [Path.GetFileName(fixture)] = text[..Math.Max(cut, 0)] });
                var result = await scanner.ScanAsync(dir);
                Assert.All(result.Misconfigurations.Where(m => m.RuleId == IacScanner.ParseRuleId), m => Assert.True(m.StartLine >= 1 && !m.Message.StartsWith("internal error", StringComparison.Ordinal), m.Message));
                scanned++;
            }
        }

        Assert.True(scanned > 200);
    }

    [Theory]
    [InlineData("main.tf")]
    [InlineData("stack.cfn.yaml")]
    [InlineData("deploy.k8s.yaml")]
    [InlineData("arm.json")]
    [InlineData("Dockerfile")]
    public async Task ScanAsync_RandomSyntaxSoup_NeverThrows(string name)
    {
        const string alphabet = "abc_ \n\t\"'{}[]()=:,.$%~<>!&|?*+-/#0123456789-\\";
        var random = new Random(1234);
        var scanner = new IacScanner(new IacScanOptions());
        var prefix = name switch
        {
            "stack.cfn.yaml" => "AWSTemplateFormatVersion: x\n",
            "deploy.k8s.yaml" => "apiVersion: v1\nkind: Pod\n",
            "arm.json" => "{\"$schema\": \"deploymentTemplate\", ",
            _ => string.Empty,
        };
        for (var i = 0; i < 300; i++)
        {
            var chars = Enumerable.Range(0, random.Next(1, 400)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
            var dir = IacTestData.WriteFiles(new Dictionary<string, string> { [name] = prefix + new string(chars) });
            var result = await scanner.ScanAsync(dir);
            Assert.All(result.Misconfigurations.Where(m => m.RuleId == IacScanner.ParseRuleId), m => Assert.True(m.StartLine >= 1 && !m.Message.StartsWith("internal error", StringComparison.Ordinal), m.Message));
        }
    }
}

public sealed class HclExpressionSoupTests
{
    private static readonly string[] Atoms = ["1", "\"s\"", "true", "null", "var.x", "local.l", "[1, \"a\"]", "{ a = 1 }", "aws_s3_bucket.b", "count.index", "each.value", "data.aws_iam_policy_document.d.json"];
    private static readonly string[] Functions = ["lookup", "merge", "concat", "format", "coalesce", "tostring", "tobool", "tonumber", "join", "split", "lower", "length", "contains", "keys", "values", "element", "try", "can", "jsonencode", "toset", "tomap", "replace", "trimspace", "cidrsubnet", "substr", "range", "flatten", "zipmap", "slice", "index", "jsondecode", "base64decode", "formatlist", "one", "sort", "max"];
    private static readonly string[] Operators = ["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"];

    private static string Expr(Random r, int depth)
    {
        if (depth > 3)
        {
            return Atoms[r.Next(Atoms.Length)];
        }

        return r.Next(7) switch
        {
            0 => $"{Functions[r.Next(Functions.Length)]}({string.Join(", ", Enumerable.Range(0, r.Next(4)).Select(_ => Expr(r, depth + 1)))})",
            1 => $"({Expr(r, depth + 1)} {Operators[r.Next(Operators.Length)]} {Expr(r, depth + 1)})",
            2 => $"{Expr(r, depth + 1)} ? {Expr(r, depth + 1)} : {Expr(r, depth + 1)}",
            3 => $"[for x in {Expr(r, depth + 1)} : {Expr(r, depth + 1)}]",
            4 => $"{Expr(r, depth + 1)}[{Expr(r, depth + 1)}]",
            5 => $"\"${{{Expr(r, depth + 1)}}}-%{{ if {Expr(r, depth + 1)} }}y%{{ endif }}\"",
            _ => Atoms[r.Next(Atoms.Length)],
        };
    }

    [Fact]
    public async Task ScanAsync_RandomWellFormedExpressions_EvaluateWithoutInternalErrors()
    {
        var random = new Random(99);
        var sb = new System.Text.StringBuilder("variable \"x\" {\n  default = [1, 2]\n}\nlocals {\n  l = { k = \"v\" }\n}\n");
        sb.Append("data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions = [\"s3:GetObject\"]\n  }\n}\n");
        sb.Append("resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n");
        for (var i = 0; i < 400; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"resource \"aws_ebs_volume\" \"v{i}\" {{\n  for_each = toset([\"a\"])\n  availability_zone = {Expr(random, 0)}\n  encrypted = {Expr(random, 0)}\n}}\n");
        }

        var dir = IacTestData.WriteFiles(new Dictionary<string, string> { ["main.tf"] = sb.ToString() });
        var result = await new IacScanner(new IacScanOptions()).ScanAsync(dir);
        Assert.True(!result.Errors.Any(e => e.Message.Contains("internal error", StringComparison.Ordinal)), string.Join("\n", result.Errors.Select(e => e.Message)));
        Assert.Equal(1, result.FilesScanned);
    }
}
